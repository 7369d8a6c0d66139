import { RigError } from '../../api/errors.js';

// Kept apart from demo-world.ts, which loads the chain test node: the Agent checks this guard on
// every start, and must not load the chain libraries to do so.

/** Set in the demo world's environment; an Agent in demo mode refuses to start without it. */
export const DEMO_WORLD_MARKER = 'RIGLEASE_DEMO_WORLD';

/**
 * An Agent with `demo: true` simulates the stack and the hardware's Docker side, but its chain and
 * market follow the environment: outside the demo world it would talk to the real ones. Refuse.
 */
export function assertDemoWorld(env: NodeJS.ProcessEnv): void {
  const rpc = env['RIGLEASE_CHAIN_RPC'] ?? '';
  const loopback = rpc !== '' && rpc.split(',').every((u) => /^http:\/\/127\.0\.0\.1:\d+\/?$/.test(u.trim()));
  if (env[DEMO_WORLD_MARKER] !== '1' || !loopback) {
    throw new RigError('precondition_failed', 'Demo mode was asked for outside its simulated world, so it could reach the real chain.', 'Start demo mode through openDemoAgent (`riglease serve --demo`), which sets up the local test chain first.');
  }
}
