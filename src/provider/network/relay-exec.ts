import { spawn } from 'node:child_process';
import { childEnv } from '../../util/child-env.js';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs `ip` / `wg` for the tunnel; a test or another platform passes its own. */
export type RelayExec = (file: string, args: readonly string[], opts?: { input?: string; timeoutMs?: number }) => Promise<ExecResult>;

const MAX_OUTPUT = 256 * 1024;

/**
 * One short command, never through a shell, killed after its timeout. `input` goes to the
 * child's stdin and nowhere else: that is how the rig's private key reaches `wg setconf`
 * (`/dev/stdin`), so it is never in argv (readable by every user in /proc/<pid>/cmdline), in a
 * file that could outlive a crash, or in a log line.
 */
export const execRelayCommand: RelayExec = (file, args, opts = {}) =>
  new Promise((resolve) => {
    const child = spawn(file, [...args], { env: childEnv(process.env), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 10_000);
    child.stdout.on('data', (b: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += b.toString('utf8');
    });
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += b.toString('utf8');
    });
    // A child that exits before reading its stdin must not crash us with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: err.code === 'ENOENT' ? `${file}: not installed` : String(err.message), timedOut });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
