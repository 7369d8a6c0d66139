import type { Handler } from '../../api/dispatch.js';
import { RigError } from '../../api/errors.js';
import type { TaskRegistry } from '../../core/task-registry.js';
import type { BenchService } from '../bench-service.js';

export interface BenchHandlerDeps {
  bench: Pick<BenchService, 'run' | 'historyView' | 'ladder' | 'mapPorts' | 'unmapPorts' | 'portsStatus'>;
  tasks: Pick<TaskRegistry, 'list' | 'start'>;
}

/** One benchmark or ladder at a time: two GPU loads at once would make both figures wrong. */
function ensureIdle(deps: BenchHandlerDeps): void {
  const busy = deps.tasks.list().find((t) => t.state === 'running' && (t.kind === 'bench.run' || t.kind === 'bench.ladder'));
  if (busy) {
    throw new RigError('conflict', `A benchmark is already running (${busy.message}).`, `Wait for it to finish, or cancel it (task ${busy.task}).`);
  }
}

export function benchHandlers(deps: BenchHandlerDeps): {
  'bench.run': Handler<'bench.run'>;
  'bench.history': Handler<'bench.history'>;
  'bench.ladder': Handler<'bench.ladder'>;
  'bench.mapPorts': Handler<'bench.mapPorts'>;
  'bench.portsStatus': Handler<'bench.portsStatus'>;
} {
  return {
    'bench.run': async ({ kind, gpuUuid, minutes }) => {
      ensureIdle(deps);
      const steps = (kind === 'all' ? 4 : 1) + 2;
      return deps.tasks.start('bench.run', steps, (p) => deps.bench.run({ kind, gpuUuid, minutes }, p));
    },
    'bench.history': async ({ limit }) => deps.bench.historyView(limit),
    'bench.ladder': async ({ gpuUuid }) => {
      ensureIdle(deps);
      return deps.tasks.start('bench.ladder', 4, (p) => deps.bench.ladder(gpuUuid, p));
    },
    'bench.mapPorts': async ({ lifetimeSec, remove }, ctx) => (remove ? deps.bench.unmapPorts(ctx.signal) : deps.bench.mapPorts(lifetimeSec, ctx.signal)),
    'bench.portsStatus': async () => deps.bench.portsStatus(),
  };
}
