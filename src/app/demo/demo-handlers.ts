import type { Handlers } from '../../api/dispatch.js';
import { RigError } from '../../api/errors.js';

/** The banner's wording (renderer/src/app.tsx), so a refusal reads as part of the same story. */
export const DEMO_BANNER = 'Demo mode: a simulated rig. Nothing here touches real Docker or the chain.';

export function demoRefusal(what: string): RigError {
  return new RigError(
    'precondition_failed',
    `${DEMO_BANNER} ${what} is not simulated, so it was not done.`,
    'Run `riglease serve` (or the desktop app) without --demo on the machine with the GPU to do this for real.',
  );
}

type DemoOverrides = Pick<Handlers, 'bench.run' | 'bench.ladder' | 'bench.mapPorts' | 'relay.up'>;

/**
 * Demo mode's benchmarks: running a benchmark container, the pre-flight ladder and asking the
 * real router to map ports are REFUSED with the banner's wording (the stack is simulated by
 * demo-stack.ts; the demo agent's DOCKER_HOST points at a socket that does not exist, as a
 * second line of defence).
 */
export function demoHandlers(): DemoOverrides {
  const refuse = (what: string) => async (): Promise<never> => {
    throw demoRefusal(what);
  };
  return {
    'bench.run': refuse('Running a benchmark'),
    'bench.ladder': refuse('The pre-flight check'),
    'bench.mapPorts': refuse('Asking the router to forward ports'),
    // The relay tunnel would be a real network interface on this computer.
    'relay.up': refuse('Bringing up the relay tunnel'),
  };
}

