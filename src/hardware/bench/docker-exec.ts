import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { RigError } from '../../api/errors.js';
import { withTimeout } from './container-run.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs one command inside a running container (e.g. `kubectl` in the k3s node), with a timeout. */
export async function dockerExec(container: Docker.Container, cmd: string[], timeoutMs: number, signal: AbortSignal): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  err.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  container.modem.demuxStream(stream, out, err);
  const ended = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', () => resolve());
  });
  try {
    await withTimeout(ended, timeoutMs, signal);
  } catch (e) {
    stream.destroy();
    if (signal.aborted) throw new RigError('cancelled', 'Cancelled.');
    throw new RigError('timeout', `\`${cmd.join(' ')}\` did not finish within ${Math.round(timeoutMs / 1000)} s.`, undefined, { cause: e });
  }
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, stdout, stderr };
}
