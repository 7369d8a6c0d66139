import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The package folder: bundles go under its node_modules/.cache so they resolve dependencies like dist/cli.js. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles the `riglease` CLI the way `npm run build` does (one ESM entry, split chunks, packages
 * external) into `outDir`, giving `outDir/cli.js`. CLI tests spawn it as a user would; under tsx
 * every spawn would re-compile the sources, seconds each on a busy 2-core machine.
 */
export async function bundleCli(outDir: string, entry: { name: string; source: string } = { name: 'cli', source: 'src/cli/main.ts' }): Promise<string> {
  await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: { [entry.name]: entry.source },
    outdir: outDir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return path.join(outDir, `${entry.name}.js`);
}

/** How one run of the bundled CLI ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What else one run of the bundled CLI gets: text piped to its stdin (ended), and a time limit. */
export interface CliRunOptions {
  /** Piped to the child's stdin, which is then ended; without it stdin is 'ignore'. */
  stdin?: string;
  /** Kills the child with SIGKILL after this many ms and rejects naming the args. */
  timeoutMs?: number;
}

/** Runs the bundled CLI (`main`, from bundleCli) once as a user would, with `env`, and collects its output. */
export function runBundledCli(main: string, args: string[], env: NodeJS.ProcessEnv, opts: CliRunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const piped = opts.stdin !== undefined;
    const child = spawn(process.execPath, [main, ...args], { env, stdio: [piped ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs !== undefined) {
      const ms = opts.timeoutMs;
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`riglease ${args.join(' ')} did not exit within ${ms} ms (killed with SIGKILL); stderr so far: ${stderr}`));
      }, ms);
    }
    child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (piped) child.stdin?.end(opts.stdin);
  });
}
