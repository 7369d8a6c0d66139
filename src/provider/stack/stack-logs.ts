import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { RigError } from '../../api/errors.js';
import { redactText } from '../../util/redact.js';
import { T, withTimeout } from './docker-client.js';
import { execIn } from './exec.js';
import { GATEWAY_NAMESPACE } from './chart-values.js';
import { AKASH_NAMESPACE, CERT_MANAGER_NAMESPACE, DEVICE_PLUGIN_NAMESPACE, NGF_NAMESPACE } from './cluster-manifests.js';

export interface LogsResult {
  component: string;
  lines: { component: string; stream: 'stdout' | 'stderr'; line: string }[];
  truncated: boolean;
}

/** Where each chart's pods run (release name = HelmChart name; charts label pods with it). */
const NAMESPACE: Record<string, string> = {
  'nginx-gateway-fabric': NGF_NAMESPACE,
  'cert-manager': CERT_MANAGER_NAMESPACE,
  'akash-gateway': GATEWAY_NAMESPACE,
  'nvidia-device-plugin': DEVICE_PLUGIN_NAMESPACE,
  'akash-hostname-operator': AKASH_NAMESPACE,
  'akash-inventory-operator': AKASH_NAMESPACE,
  'akash-provider': AKASH_NAMESPACE,
};

export const LOG_COMPONENTS = ['k3s', ...Object.keys(NAMESPACE)];

function checkComponent(component: string): void {
  if (!LOG_COMPONENTS.includes(component)) throw new RigError('invalid_input', `There is no stack component called ${component}.`, `Use one of: ${LOG_COMPONENTS.join(', ')}.`);
}

function split(component: string, stream: 'stdout' | 'stderr', text: string) {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => ({ component, stream, line: redactText(l) }));
}

/**
 * The kubectl command (run in the k3s container, where kubectl is k3s's multi-call link) for a
 * chart's logs: every pod of the release, every container. Following also prefixes each line with
 * its pod/container (several pods stream at once) and allows more parallel streams than kubectl's
 * default 5 (the provider runs several containers).
 */
export function chartLogsCommand(component: string, opts: { tail: number; follow: boolean }): string[] {
  checkComponent(component);
  if (component === 'k3s') throw new Error('k3s logs are the container\'s own, not kubectl\'s');
  const cmd = ['kubectl', 'logs', '-n', NAMESPACE[component]!, '-l', `app.kubernetes.io/instance=${component}`, '--all-containers', `--tail=${opts.tail}`];
  if (opts.follow) cmd.push('--follow', '--prefix', '--max-log-requests=20');
  return cmd;
}

/** How long a chart's follow waits before trying again after kubectl ended (k3s not answering yet, pod replaced). */
export const FOLLOW_RETRY_MS = 5_000;

/** The last `tail` lines of a component; every line passes the redactor. */
export async function tailLogs(container: Docker.Container, component: string, tail: number): Promise<LogsResult> {
  checkComponent(component);
  if (component === 'k3s') {
    const buf = (await withTimeout('logs', T.quick, container.logs({ stdout: true, stderr: true, tail, follow: false }))) as unknown as Buffer;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    demuxBuffer(buf, out, err);
    const lines = [...split('k3s', 'stdout', Buffer.concat(out).toString('utf8')), ...split('k3s', 'stderr', Buffer.concat(err).toString('utf8'))];
    return { component, lines: lines.slice(-tail), truncated: lines.length > tail };
  }
  const r = await execIn(container, chartLogsCommand(component, { tail, follow: false }), { timeoutMs: T.exec });
  if (r.exitCode !== 0) {
    return { component, lines: [{ component, stream: 'stderr', line: `unknown: k3s not answering (${redactText(r.stderr.trim().split('\n')[0] ?? '')})` }], truncated: false };
  }
  return { component, lines: split(component, 'stdout', r.stdout), truncated: false };
}

/** Docker's multiplexed log frames: 8-byte header (stream, 0,0,0, size BE) then the payload. */
function demuxBuffer(buf: Buffer, out: Buffer[], err: Buffer[]): void {
  let off = 0;
  while (off + 8 <= buf.length) {
    const kind = buf[off];
    const size = buf.readUInt32BE(off + 4);
    const body = buf.subarray(off + 8, off + 8 + size);
    (kind === 2 ? err : out).push(body);
    off += 8 + size;
  }
}

/** Streams k3s container logs line by line until the signal aborts. */
export async function streamLogs(container: Docker.Container, component: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
  checkComponent(component);
  if (component !== 'k3s') {
    await followChart(container, component, onLine, signal);
    return;
  }
  const stream = (await withTimeout('logs', T.quick, container.logs({ stdout: true, stderr: true, follow: true, tail: 100 }))) as NodeJS.ReadableStream;
  const sink = new PassThrough();
  let rest = '';
  sink.on('data', (b: Buffer) => {
    const parts = (rest + b.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) onLine(redactText(p));
  });
  container.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve) => {
    const stop = () => {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      resolve();
    };
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    stream.on('end', () => resolve());
  });
}

/**
 * Follows a chart's pods through `kubectl logs --follow` until the signal aborts. kubectl ends
 * when k3s is not answering yet or the pods are replaced (upgrade, crash): the reason is shown and
 * the follow starts again after FOLLOW_RETRY_MS, so a log opened while the stack starts fills in.
 */
async function followChart(container: Docker.Container, component: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
  let first = true;
  while (!signal.aborted) {
    const errors: string[] = [];
    const r = await execStream(container, chartLogsCommand(component, { tail: first ? 100 : 0, follow: true }), onLine, (l) => errors.push(l), signal);
    first = false;
    if (signal.aborted) return;
    const why = errors[errors.length - 1] ?? `kubectl ended (exit ${r ?? 'unknown'})`;
    onLine(r === 0 ? `(the ${component} pods ended their logs; following again in ${FOLLOW_RETRY_MS / 1000} s)` : `unknown: k3s not answering (${redactText(why)}); trying again in ${FOLLOW_RETRY_MS / 1000} s`);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, FOLLOW_RETRY_MS);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * Docker has no "kill this exec": a process started by exec keeps running after the client goes
 * away, and dockerd keeps draining its output (proven by stack-logs.test.ts). So the command runs
 * under a small shell that ends it as soon as its stdin closes, and the follow keeps stdin open
 * for as long as it wants the lines; both the k3s image (Ubuntu) and rancher/k3s have `sh`.
 */
export function endsWithStdin(cmd: string[]): string[] {
  // A non-interactive shell gives background jobs /dev/null as stdin, so the watcher reads a copy (fd 3).
  return ['sh', '-c', 'exec 3<&0; "$@" </dev/null & k=$!; { cat <&3 >/dev/null 2>&1; kill $k 2>/dev/null; } & c=$!; exec 3<&-; wait $k; s=$?; kill $c 2>/dev/null; exit $s', 'riglease-follow', ...cmd];
}

/**
 * Runs a command in the container and hands over its output line by line (redacted) while it
 * runs; ends with its exit code, or null when the signal aborted it (the command is ended then:
 * closing the stream closes its stdin, see endsWithStdin).
 */
async function execStream(container: Docker.Container, cmd: string[], onOut: (line: string) => void, onErr: (line: string) => void, signal: AbortSignal): Promise<number | null> {
  const exec = await withTimeout('exec create', T.exec, container.exec({ Cmd: endsWithStdin(cmd), AttachStdin: true, AttachStdout: true, AttachStderr: true }));
  const stream = await withTimeout('exec start', T.exec, exec.start({ hijack: true, stdin: true }));
  const lines = (emit: (l: string) => void) => {
    const sink = new PassThrough();
    let rest = '';
    sink.on('data', (b: Buffer) => {
      const parts = (rest + b.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) if (p.trim()) emit(redactText(p));
    });
    return sink;
  };
  container.modem.demuxStream(stream, lines(onOut), lines(onErr));
  const stop = () => (stream as unknown as { destroy?: () => void }).destroy?.();
  try {
    await new Promise<void>((resolve) => {
      if (signal.aborted) stop();
      signal.addEventListener('abort', stop, { once: true });
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', () => resolve());
    });
  } finally {
    signal.removeEventListener('abort', stop);
  }
  if (signal.aborted) return null;
  // The stream can end a moment before Docker records the exit code.
  for (let i = 0; i < 20; i++) {
    const info = await withTimeout('exec inspect', T.quick, exec.inspect());
    if (!info.Running) return info.ExitCode ?? null;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}
