import type { TaskSnapshot } from '../../api/schemas/task.js';
import type { EventHub } from '../../core/event-hub.js';
import type { DockerConnection } from '../../core/docker-connection.js';
import type { TaskRegistry } from '../../core/task-registry.js';
import type { HardwareService } from '../../hardware/index.js';
import type { StackService, WalletSource } from '../../provider/stack/stack-service.js';
import type { FarmService } from '../farm/farm-service.js';
import type { PricingService } from '../pricing/pricing-service.js';
import type { FieldTestDeps } from './field-test.js';
import { farmExpectation } from './field-test-farm.js';
import { dockerFieldProbe } from './field-test-probe.js';

/** A hardware scan this old is reused: the field test runs right after a person started it. */
const SCAN_MAX_AGE_MS = 60_000;

/**
 * The field test's dependencies from a running Agent: `up`, `plan` and `down` of the stack
 * service the app itself uses, the pricing service's quote (what `riglease pricing quote`
 * prints), the hardware scan, and the agent's Docker connection for the probes.
 */
export interface FieldTestAgentDeps {
  stack: Pick<StackService, 'plan' | 'up' | 'down'>;
  hub: Pick<EventHub, 'subscribe'>;
  tasks: Pick<TaskRegistry, 'cancel' | 'wait'>;
  docker: Pick<DockerConnection, 'client'>;
  hardware: Pick<HardwareService, 'scan'>;
  pricing: Pick<PricingService, 'quote'>;
  /** The wallet the stack's provider chart is given (the chain side's seam). */
  stackSeams: { wallet: Pick<WalletSource, 'address'> };
  farm: Pick<FarmService, 'status'>;
  version: string;
  env: NodeJS.ProcessEnv;
  home: string;
}

export function fieldTestDeps(agent: FieldTestAgentDeps, onUpProgress: (t: TaskSnapshot) => void): FieldTestDeps {
  return {
    plan: () => agent.stack.plan(),
    up: async (signal) => {
      const ref = agent.stack.up();
      const off = agent.hub.subscribe('task.progress', (t) => {
        if (t.task === ref.id) onUpProgress(t);
      });
      // Ctrl-C cancels the task (a step in progress is rolled back), never kills it mid-step.
      const cancel = (): void => {
        agent.tasks.cancel(ref.id);
      };
      signal.addEventListener('abort', cancel, { once: true });
      try {
        const done = await agent.tasks.wait(ref.id);
        onUpProgress(done);
        const error = done.error ? `${done.error.message}${done.error.fix ? ` (${done.error.fix})` : ''}` : done.state === 'succeeded' ? null : `the task ended ${done.state}`;
        return { ok: done.state === 'succeeded', error, log: done.log };
      } finally {
        signal.removeEventListener('abort', cancel);
        off();
      }
    },
    down: async () => (await agent.stack.down()).message,
    probe: (plan) => dockerFieldProbe(agent.docker.client(), plan.containers[0]!.name),
    scan: () => agent.hardware.scan({ maxAgeMs: SCAN_MAX_AGE_MS }),
    quote: async (order) => {
      const q = await agent.pricing.quote(order);
      return { bid: q.bid, price: q.price, reason: q.reason, denom: q.denom };
    },
    walletAddress: () => agent.stackSeams.wallet.address(),
    farm: async () => {
      const s = await agent.farm.status();
      return s.role === 'controller' ? farmExpectation(s) : null;
    },
    version: agent.version,
    env: agent.env,
    home: agent.home,
  };
}
