import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { RigError } from '../../api/errors.js';
import { redactText } from '../../util/redact.js';
import { T, withTimeout } from './docker-client.js';
import { execIn } from './exec.js';
import { AKASH_NAMESPACE } from './manifests.js';

export interface LogsResult {
  component: string;
  lines: { component: string; stream: 'stdout' | 'stderr'; line: string }[];
  truncated: boolean;
}

/** Where each chart's pods run (release name = HelmChart name; charts label pods with it). */
const NAMESPACE: Record<string, string> = {
  'ingress-nginx': 'ingress-nginx',
  'nvidia-device-plugin': 'nvidia-device-plugin',
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
  const r = await execIn(container, ['kubectl', 'logs', '-n', NAMESPACE[component]!, '-l', `app.kubernetes.io/instance=${component}`, '--all-containers', `--tail=${tail}`], { timeoutMs: T.exec });
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
    for (const l of (await tailLogs(container, component, 200)).lines) onLine(l.line);
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
