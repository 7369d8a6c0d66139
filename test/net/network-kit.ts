import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Settings } from '../../src/api/schemas/settings.js';
import type { SecretStore } from '../../src/store/secret-store.js';
import type { Logger } from '../../src/util/logger.js';

/** Secrets in a Map: what the network room sees of the real stores (get/set/has/delete). */
export function memorySecrets(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    kind: 'memory (tests)',
    values,
    has: async (n) => values.has(n),
    get: async (n) => values.get(n) ?? null,
    set: async (n, v) => void values.set(n, v),
    delete: async (n) => void values.delete(n),
  };
}

/** A logger that keeps every line (to prove what is and is not logged). */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const make = (c: string): Logger => {
    const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push(`${level} ${c} ${msg} ${fields ? JSON.stringify(fields) : ''}`);
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (n) => make(`${c}.${n}`) };
  };
  return Object.assign(make('test'), { lines });
}

/** Settings as the file would hold them, with the parts a test names. */
export function settingsWith(patch: { domain?: string; whoamiUrl?: string; portProbeUrl?: string; publicIpUrl?: string; dns?: Record<string, unknown> }): Settings {
  return Settings.parse({
    stack: patch.domain !== undefined ? { domain: patch.domain } : {},
    bench: { network: { publicIpUrl: patch.publicIpUrl ?? '', portProbeUrl: patch.portProbeUrl ?? '', timeoutMs: 5000 } },
    network: { whoamiUrl: patch.whoamiUrl ?? '', dns: patch.dns ?? {} },
  });
}

/** An address service on 127.0.0.1 that answers `{"ip": …}` with whatever `address.value` holds now. */
export async function whoamiStandIn(initial: string): Promise<{ url: string; address: { value: string }; hits: { count: number }; close: () => Promise<void> }> {
  const address = { value: initial };
  const hits = { count: 0 };
  const server = createServer((_req, res) => {
    hits.count++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ip: address.value }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, address, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}
