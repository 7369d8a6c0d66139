import { serveDir, upstreamPresent, UPSTREAM_DIR } from './stack/upstream-mirror.js';

/**
 * Every test process gets RIGLEASE_ARTIFACT_MIRROR = a local server of shared/upstream, so a
 * stack `up` anywhere in the suite (agent, CLI, e2e server started from a test) fetches the pinned
 * CRDs from 127.0.0.1 and never from the internet. Workers inherit the environment set here.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // The outside services the app asks by itself (the public-address service, the DNS resolver
  // used to verify records) point at loopback's discard port: no test sends a packet off this machine.
  process.env['RIGLEASE_PUBLIC_IP_URL'] ??= 'http://127.0.0.1:9/';
  process.env['RIGLEASE_DNS_RESOLVER'] ??= '127.0.0.1:9';
  if (!upstreamPresent() || process.env['RIGLEASE_ARTIFACT_MIRROR']) return async () => undefined;
  const mirror = await serveDir(UPSTREAM_DIR);
  process.env['RIGLEASE_ARTIFACT_MIRROR'] = mirror.url;
  return () => mirror.close();
}
