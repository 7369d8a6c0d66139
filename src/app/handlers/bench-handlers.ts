import type { Handler } from '../../api/dispatch.js';
import { RigError } from '../../api/errors.js';
import type { Agent } from '../agent.js';

/** One benchmark or ladder at a time: two GPU loads at once would make both figures wrong. */
function ensureIdle(agent: Agent): void {
  const busy = agent.tasks.list().find((t) => t.state === 'running' && (t.kind === 'bench.run' || t.kind === 'bench.ladder'));
  if (busy) {
    throw new RigError('conflict', `A benchmark is already running (${busy.message}).`, `Wait for it to finish, or cancel it (task ${busy.task}).`);
  }
}

export function benchHandlers(agent: Agent): {
  'bench.run': Handler<'bench.run'>;
  'bench.history': Handler<'bench.history'>;
  'bench.ladder': Handler<'bench.ladder'>;
  'bench.mapPorts': Handler<'bench.mapPorts'>;
  'bench.portsStatus': Handler<'bench.portsStatus'>;
} {
  return {
    'bench.run': async ({ kind, gpuUuid, minutes }) => {
      ensureIdle(agent);
      const steps = (kind === 'all' ? 4 : 1) + 2;
      return agent.tasks.start('bench.run', steps, (p) => agent.bench.run({ kind, gpuUuid, minutes }, p));
    },
    'bench.history': async ({ limit }) => agent.bench.historyView(limit),
    'bench.ladder': async ({ gpuUuid }) => {
      ensureIdle(agent);
      return agent.tasks.start('bench.ladder', 4, (p) => agent.bench.ladder(gpuUuid, p));
    },
    'bench.mapPorts': async ({ lifetimeSec, remove }, ctx) => (remove ? agent.bench.unmapPorts(ctx.signal) : agent.bench.mapPorts(lifetimeSec, ctx.signal)),
    'bench.portsStatus': async () => agent.bench.portsStatus(),
  };
}
