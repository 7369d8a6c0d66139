import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { ProbeAnswer, ProbeError, ProbeRequest } from './probe-protocol.js';

/** Every request here is user-initiated (the network or ports check) and has a timeout. */
export interface ProbeOptions {
  timeoutMs: number;
  signal: AbortSignal;
}

function timed(opts: ProbeOptions): AbortSignal {
  return AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
}

export async function measureDownload(urlTemplate: string, bytes: number, opts: ProbeOptions): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(urlTemplate.replace('{bytes}', String(bytes)), { signal: timed(opts) });
  if (!res.ok || !res.body) throw new Error(`the download address answered HTTP ${res.status}`);
  let got = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) got += chunk.byteLength;
  const sec = (performance.now() - t0) / 1000;
  if (got === 0) throw new Error('the download address sent nothing');
  return (got * 8) / sec / 1_000_000;
}

export async function measureUpload(url: string, bytes: number, opts: ProbeOptions): Promise<number> {
  const body = new Uint8Array(bytes);
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' }, signal: timed(opts) });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`the upload address answered HTTP ${res.status}`);
  return (bytes * 8) / ((performance.now() - t0) / 1000) / 1_000_000;
}

/** Median of three small requests: the round trip a tenant's first byte pays. */
export async function measureLatency(url: string, opts: ProbeOptions): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const res = await fetch(url.replace('{bytes}', '0'), { method: 'HEAD', signal: timed(opts) });
    await res.arrayBuffer().catch(() => undefined);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[1]!;
}

/** Plain text `203.0.113.7` or JSON `{"ip":"203.0.113.7"}` (ipify and most look-alikes). */
export async function fetchPublicIp(url: string, opts: ProbeOptions): Promise<string> {
  const res = await fetch(url, { signal: timed(opts) });
  const text = (await res.text()).trim();
  let ip = text;
  if (text.startsWith('{')) ip = z.object({ ip: z.string() }).parse(JSON.parse(text)).ip;
  if (!isIPv4(ip)) throw new Error('the address service did not answer with an IPv4 address');
  return ip;
}

/** The probe's answer (probe-protocol.ts); kept under this name for the callers. */
export const PortProbeAnswer = ProbeAnswer;
export type PortProbeAnswer = ProbeAnswer;

/**
 * Asks an outside probe (`riglease probe-server`, protocol in probe-protocol.ts) to connect back to
 * `ports` on this network's public address. `address`, when given, is the address we believe we
 * have; the probe refuses when it is not the one the request comes from.
 */
export async function probePorts(url: string, ports: number[], opts: ProbeOptions, address?: string): Promise<PortProbeAnswer> {
  const request: ProbeRequest = { ports, ...(address ? { address } : {}) };
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(ProbeRequest.parse(request)), headers: { 'content-type': 'application/json' }, signal: timed(opts) });
  const text = await res.text();
  if (!res.ok) {
    let why = '';
    try {
      why = `: ${ProbeError.parse(JSON.parse(text)).error.message}`;
    } catch {
      why = '';
    }
    throw new Error(`the probe answered HTTP ${res.status}${why}`);
  }
  return ProbeAnswer.parse(JSON.parse(text));
}
