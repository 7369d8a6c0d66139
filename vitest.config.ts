import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // renderer/ tests are plain logic under Node (no DOM): a test stands in for what it needs of `window`.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts'],
    // A local mirror of shared/upstream for the CRDs a stack `up` fetches (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only fight over them.
    maxWorkers: 2,
    // Test files share each worker's module cache: without it every file re-imported chain-sdk,
    // cosmjs and the rest (169 s of imports per run on 2 cores, 14 s with it). Tests therefore
    // must not rely on a fresh module state: whatever a file changes (env, timers, singletons) it
    // puts back in its own afterEach/afterAll.
    isolate: false,
  },
});
