import { Resolver } from 'node:dns/promises';

export interface ResolveAnswer {
  addresses: string[] | null;
  error: string | null;
}

/** `1.1.1.1` or `127.0.0.1:5353` → what Resolver.setServers takes. */
export function resolverServer(server: string): string {
  const [host, port] = server.split(':');
  return port ? `${host}:${port}` : (host ?? server);
}

/**
 * Asks one DNS server (not the system resolver and its cache) for a name's IPv4 addresses,
 * following a CNAME as resolvers do. Two tries of `timeoutMs` each at most.
 */
export async function resolveA(server: string, name: string, timeoutMs = 2000): Promise<ResolveAnswer> {
  const r = new Resolver({ timeout: timeoutMs, tries: 2 });
  r.setServers([resolverServer(server)]);
  try {
    return { addresses: (await r.resolve4(name)).sort(), error: null };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const why = code === 'ENOTFOUND' ? 'the name does not exist (yet)' : code === 'ENODATA' ? 'the name has no IPv4 address' : code === 'ETIMEOUT' ? `the DNS server ${server} did not answer` : `${code || 'error'}: ${err instanceof Error ? err.message : String(err)}`;
    return { addresses: null, error: why };
  }
}
