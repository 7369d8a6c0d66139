import type { StackActionResult, StackStatus } from '../../api/schemas/stack.js';
import type { TaskRef } from '../../api/schemas/task.js';
import type { LogsResult } from '../../provider/stack/stack-logs.js';
import type { StackService } from '../../provider/stack/stack-service.js';
import type { TaskRegistry } from '../../core/task-registry.js';
import type { HardwareService } from '../../hardware/index.js';
import { DEMO_BANNER, demoRefusal } from './demo-handlers.js';

/** The agent's parts the simulated stack uses: the (demo) hardware report for its GPUs, and tasks for up. */
export interface DemoStackDeps {
  hardware: Pick<HardwareService, 'last' | 'scan'>;
  tasks: Pick<TaskRegistry, 'start'>;
}

const COMPONENTS = ['k3s', 'nginx-gateway-fabric', 'cert-manager', 'akash-gateway', 'nvidia-device-plugin', 'akash-hostname-operator', 'akash-inventory-operator', 'akash-provider'] as const;
const UP_STEPS = ['Planning the provider stack from your settings…', 'Checking Docker…', 'Pulling the k3s image…', 'Creating the network and volumes…', 'Starting the k3s container…', 'Installing the Akash charts…', 'Waiting for the cluster to be ready…', 'Handing the price table to the provider…'];
/** Long enough for a person to see the steps go by, short enough for tests. */
const STEP_MS = 150;

/**
 * Demo mode's provider stack: a SIMULATED stack that starts out running. Status, up/upgrade
 * (a task that walks the real step names without doing them), stop, start and restart change
 * only the simulated state; uninstall and live log following are refused with the banner's
 * wording. Wrapped around the service itself, so every reader — the Stack screen, the wizard's
 * "Start providing", availability's offline switch, the dashboard — sees the same stack, and
 * nothing reaches Docker.
 */
export function demoStack(inner: StackService, agent: DemoStackDeps): StackService {
  let state: 'running' | 'stopped' = 'running';
  // Up since before the oldest seeded lease (12 days): a stack "ready 39 s" beside a lease that
  // has run for 12 days would contradict it.
  let since = new Date(Date.now() - 13 * 24 * 3_600_000);
  const status = async (): Promise<StackStatus> => {
    const report = agent.hardware.last() ?? (await agent.hardware.scan({ maxAgeMs: 60_000 }).catch(() => null));
    const now = new Date();
    const ageSec = Math.round((now.getTime() - since.getTime()) / 1000);
    return {
      prefix: 'riglease-demo',
      checkedAt: now.toISOString(),
      overall: state,
      components: COMPONENTS.map((name) => ({
        name,
        state: state === 'running' ? ('ready' as const) : ('stopped' as const),
        since: state === 'running' ? since.toISOString() : null,
        ageSec: state === 'running' ? ageSec : null,
        detail: 'simulated (demo mode)',
        whyNotReady: state === 'running' ? null : 'Stopped in the demo: Start brings it back.',
      })),
      gpus: (report?.gpus ?? []).map((g) => ({ uuid: g.uuid, name: g.name, state: 'labelled' as const, detail: 'simulated (demo mode)' })),
      upToDate: true,
      volumes: [],
    };
  };
  const setState = (next: 'running' | 'stopped', words: string): StackActionResult => {
    const changed = state !== next;
    state = next;
    if (changed && next === 'running') since = new Date();
    return { changed, message: `Simulated (demo mode): the provider stack ${changed ? words : `was already ${next}`}. Nothing real was ${next === 'running' ? 'started' : 'stopped'}.` };
  };
  const up = (kind: 'stack.up' | 'stack.upgrade' = 'stack.up'): TaskRef =>
    agent.tasks.start(kind, UP_STEPS.length, async (p) => {
      for (const [i, step] of UP_STEPS.entries()) {
        p.step(i + 1, `${step} (simulated)`);
        await new Promise((r) => setTimeout(r, STEP_MS));
        p.signal.throwIfAborted();
      }
      setState('running', 'is running');
      p.log(`${DEMO_BANNER} No container was created.`);
      return status();
    });
  const sim: Partial<Record<keyof StackService, unknown>> = {
    status,
    up,
    down: async () => setState('stopped', 'is stopped'),
    start: async () => setState('running', 'is running again'),
    restart: async () => {
      since = new Date();
      return { ...setState('running', 'is running'), changed: true, message: 'Simulated (demo mode): the provider stack restarted. Nothing real was restarted.' };
    },
    logs: async (component: string): Promise<LogsResult> => ({ component, lines: [{ component, stream: 'stdout', line: `${DEMO_BANNER} The simulated stack writes no logs.` }], truncated: false }),
    followLogs: () => {
      throw demoRefusal('Following live logs');
    },
    uninstall: async () => {
      throw demoRefusal('Uninstalling the provider stack');
    },
  };
  return new Proxy(inner, {
    get: (target, prop, receiver) => (typeof prop === 'string' && prop in sim ? sim[prop as keyof StackService] : Reflect.get(target, prop, receiver)),
  });
}
