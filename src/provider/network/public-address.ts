import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { WhoamiAnswer } from '../../hardware/bench/probe-protocol.js';

export interface PublicAddressSources {
  /** `network.whoamiUrl`: asked first when set. */
  whoamiUrl: string;
  /** `bench.network.portProbeUrl`: its server's `/whoami` is asked next. */
  portProbeUrl: string;
  /** `bench.network.publicIpUrl`: an address service the person chose (plain text or `{ip}`). */
  publicIpUrl: string;
}

export type PublicAddress = { ok: true; address: string; via: 'probe' | 'url'; source: string } | { ok: false; tried: string[] };

/** The probe server's whoami next to its `/probe` address: `http://h:8485/probe` → `http://h:8485/whoami`. */
export function whoamiUrlFor(portProbeUrl: string): string | null {
  try {
    return new URL('/whoami', portProbeUrl).toString();
  } catch {
    return null;
  }
}

/** Plain text `203.0.113.7`, `{"ip":"…"}` (a probe's /whoami, ipify and look-alikes). */
export function readAddressAnswer(text: string): string | null {
  const t = text.trim();
  let ip = t;
  if (t.startsWith('{')) {
    try {
      const parsed = WhoamiAnswer.or(z.object({ ip: z.string() })).safeParse(JSON.parse(t));
      if (!parsed.success) return null;
      ip = parsed.data.ip;
    } catch {
      return null;
    }
  }
  return isIPv4(ip) ? ip : null;
}

async function ask(url: string, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), headers: { accept: 'application/json, text/plain' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`it answered HTTP ${res.status}`);
  const ip = readAddressAnswer(text);
  if (!ip) throw new Error('it did not answer with an IPv4 address');
  return ip;
}

/**
 * The address the internet sees this network as. Only sources the person configured are asked
 * (no address service is built in): whoamiUrl, then the outside probe's /whoami, then publicIpUrl.
 */
export async function publicAddress(s: PublicAddressSources, timeoutMs: number, signal: AbortSignal): Promise<PublicAddress> {
  const candidates: { url: string; via: 'probe' | 'url' }[] = [];
  if (s.whoamiUrl) candidates.push({ url: s.whoamiUrl, via: 'url' });
  const fromProbe = s.portProbeUrl ? whoamiUrlFor(s.portProbeUrl) : null;
  if (fromProbe) candidates.push({ url: fromProbe, via: 'probe' });
  if (s.publicIpUrl) candidates.push({ url: s.publicIpUrl, via: 'url' });
  const tried: string[] = [];
  for (const c of candidates) {
    try {
      return { ok: true, address: await ask(c.url, timeoutMs, signal), via: c.via, source: c.url };
    } catch (err) {
      const why = err instanceof Error ? (err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err.message) : String(err);
      tried.push(`${c.url}: ${why}`);
    }
  }
  if (candidates.length === 0) tried.push('no address service is set (network.whoamiUrl, bench.network.portProbeUrl or bench.network.publicIpUrl)');
  return { ok: false, tried };
}
