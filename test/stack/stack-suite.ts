// The frame every stack test on the real engine repeats: skip (with the reason) without an
// engine, the stand-in k3s image built once, each stack's Docker objects removed afterwards.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe } from 'vitest';
import { testDockerEngine } from '../docker/engine.js';
import { cleanup, stackEnv, stackStandIn, type StackEnv } from './stack-env.js';

export interface StackSuite {
  docker: () => Docker;
  /** A stack environment whose objects this suite removes when it ends. */
  env: (...args: Parameters<typeof stackEnv> extends [unknown, ...infer R] ? R : never) => Promise<StackEnv>;
}

export async function stackSuite(title: string, body: (s: StackSuite) => void): Promise<void> {
  const engine = await testDockerEngine();
  if (!engine.ok) {
    console.warn(`${title}: skipped: ${engine.reason}`);
    describe.skip(title, () => body({ docker: () => { throw new Error('no engine'); }, env: () => Promise.reject(new Error('no engine')) }));
    return;
  }
  const prefixes: string[] = [];
  describe(title, () => {
    beforeAll(() => stackStandIn(engine.docker));
    afterAll(async () => {
      for (const p of prefixes) await cleanup(engine.docker, p);
    });
    body({
      docker: () => engine.docker,
      env: async (...args) => {
        const e = await stackEnv(engine.docker, ...args);
        prefixes.push(e.prefix);
        return e;
      },
    });
  });
}
