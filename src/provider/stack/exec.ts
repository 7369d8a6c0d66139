import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { withTimeout } from './docker-client.js';

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command inside the k3s container (kubectl is a k3s multi-call link there). Input, when
 * given, goes over stdin so secrets never appear in argv or on disk. Never throws for a failing
 * command: a missing binary (the stand-in image has no kubectl) is a result, not a crash.
 */
export async function execIn(container: Docker.Container, cmd: string[], opts: { stdin?: string; timeoutMs: number; signal?: AbortSignal }): Promise<ExecResult> {
  const exec = await withTimeout('exec create', opts.timeoutMs, container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, AttachStdin: opts.stdin !== undefined }));
  const stream = await withTimeout('exec start', opts.timeoutMs, exec.start({ hijack: true, stdin: opts.stdin !== undefined }));
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const o = new PassThrough();
  const e = new PassThrough();
  o.on('data', (b: Buffer) => out.push(b));
  e.on('data', (b: Buffer) => err.push(b));
  container.modem.demuxStream(stream, o, e);
  const ended = new Promise<void>((resolve) => {
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', () => resolve());
  });
  if (opts.stdin !== undefined) {
    stream.write(opts.stdin);
    // Half-close so the command sees EOF on stdin but we still read its output.
    (stream as unknown as { end: () => void }).end();
  }
  try {
    await withTimeout(`exec ${cmd[0]}`, opts.timeoutMs, ended, opts.signal);
  } finally {
    (stream as unknown as { destroy?: () => void }).destroy?.();
  }
  const info = await withTimeout('exec inspect', opts.timeoutMs, exec.inspect());
  return { exitCode: info.ExitCode ?? null, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
