import { RigError } from '../../api/errors.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import type { Settings } from '../../api/schemas/settings.js';
import type { EventHub } from '../../core/event-hub.js';
import type { TaskProgress, TaskRegistry } from '../../core/task-registry.js';
import type { HardwareService } from '../../hardware/index.js';
import type { ChainService } from '../../provider/chain/index.js';
import type { StackService } from '../../provider/stack/stack-service.js';
import type { FarmService } from '../farm/farm-service.js';

/** What "Start providing" needs: the stack, the chain, and the task it runs as. */
export interface StartProvidingDeps {
  tasks: TaskRegistry;
  hub: Pick<EventHub, 'subscribe'>;
  /** Read at each call: demo mode wraps the stack after it is built. */
  stack: () => Pick<StackService, 'up' | 'status'>;
  settings: { all(): Promise<Settings> };
  hardware: Pick<HardwareService, 'scan' | 'last'>;
  /** The farm (built on first use): its attributes for a controller's provider. */
  farm: () => Pick<FarmService, 'attributeBuilder'>;
  chain: () => Promise<ChainService>;
}

/** The kind of the task the wizard's "Start providing" runs; the wizard screen follows it. */
export const START_PROVIDING_TASK = 'onboarding.start-providing';
const STACK_STEPS = 8;
const REGISTER_STEPS = 4;
/** A hardware scan this young is reused for the provider attributes (as `provider.register` does). */
const REPORT_MAX_AGE_MS = 10 * 60_000;

/**
 * "Start providing" as one task with one progress bar and one live log: the stack's own `up`
 * task (idempotent: no second container), mirrored line by line, then registration + certificate
 * (the chain side looks up pending txs by hash and queries the chain first: never twice).
 * Resolves when both are done; throws the error of the part that failed.
 */
export async function startProviding(deps: StartProvidingDeps, signal: AbortSignal): Promise<void> {
  const ref = deps.tasks.start(START_PROVIDING_TASK, STACK_STEPS + REGISTER_STEPS, (p) => run(deps, p));
  const cancel = (): void => void deps.tasks.cancel(ref.id);
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const end = await deps.tasks.wait(ref.id);
    if (end.state !== 'succeeded') throw end.error ? RigError.fromShape(end.error) : new RigError('internal', `Start providing ended as ${end.state}.`);
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

async function run(deps: StartProvidingDeps, p: TaskProgress): Promise<{ stack: unknown; provider: { action: string; txHash: string | null } }> {
  p.step(1, 'Bringing up the provider stack…');
  const up = deps.stack().up('stack.up');
  const stack = await mirror(deps, up.id, p);
  if (stack.state !== 'succeeded') {
    throw stack.error ? RigError.fromShape(stack.error) : new RigError('internal', `The provider stack ended as ${stack.state}.`);
  }
  p.signal.throwIfAborted();
  const profile = (await deps.settings.all()).chain.provider;
  const report: HardwareReport | null = await deps.hardware.scan({ maxAgeMs: REPORT_MAX_AGE_MS }).catch(() => null);
  const attrs = await deps.farm().attributeBuilder().catch(() => undefined);
  const out = await (await deps.chain()).provider.register(report, profile, { step: (n, m) => p.step(STACK_STEPS + n, m), signal: p.signal }, attrs);
  if (out.alreadyDone) p.log('The provider and its certificate are already on chain as this rig says: nothing was sent.');
  else p.log(`Sent ${out.plan.action === 'none' ? 'the certificate' : `the provider ${out.plan.action}`}${out.plan.certificate.needed && out.plan.action !== 'none' ? ' and the certificate' : ''}: transaction ${out.receipt?.hash ?? '?'}.`);
  return { stack: stack.result, provider: { action: out.alreadyDone ? 'none' : out.plan.action, txHash: out.receipt?.hash ?? null } };
}

/** Follows the stack's `up` task: its steps become ours, its log lines are copied into ours. */
async function mirror(deps: StartProvidingDeps, id: string, p: TaskProgress): Promise<TaskSnapshot> {
  let step = 1;
  let lines = 0;
  const copy = (t: TaskSnapshot): void => {
    if (t.task !== id) return;
    const fresh = t.log.slice(Math.min(lines, t.log.length));
    lines = t.log.length;
    for (const line of fresh) {
      // The stack's own last line ("failed: …") is ours too, when this task fails with its error.
      if (t.state !== 'running' && line === `${t.state}: ${t.message}`) continue;
      if (t.step > step && line === t.message) {
        step = t.step;
        p.step(Math.min(step, STACK_STEPS), line, t.percent);
      } else {
        p.log(line);
      }
    }
    if (t.state === 'running' && t.percent !== undefined) p.percent(t.percent, t.message);
  };
  const off = deps.hub.subscribe('task.progress', copy);
  const cancel = (): void => void deps.tasks.cancel(id);
  p.signal.addEventListener('abort', cancel, { once: true });
  try {
    // Lines logged before the subscription (the stack's first step) come from the snapshot.
    copy(deps.tasks.get(id));
    const end = await deps.tasks.wait(id);
    copy(end);
    return end;
  } finally {
    off();
    p.signal.removeEventListener('abort', cancel);
  }
}
