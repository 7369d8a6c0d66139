import { bundleCli, runBundledCli, type CliRun } from '../cli-bundle.js';

/** Bundles crash.ts (as the CLI is bundled) into `outDir`, giving its path. */
export function bundleCrashFixture(outDir: string): Promise<string> {
  return bundleCli(outDir, { name: 'crash', source: 'test/crash-fixture/crash.ts' });
}

/** Runs the fixture until its crash handler ends it: exit code and output. */
export function runCrashFixture(script: string, mode: 'throw' | 'reject', env: NodeJS.ProcessEnv): Promise<CliRun> {
  return runBundledCli(script, [mode], env);
}
