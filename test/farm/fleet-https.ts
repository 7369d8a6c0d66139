import { makeFleetCert, type FleetCert } from '../../src/provider/farm/fleet-cert.js';
import { fetchPinnedCert, pinnedRequest, type PinnedResponse } from '../../src/provider/farm/pinned-https.js';

/** One fleet API certificate for in-process tests (making one costs a key pair). */
export const TEST_FLEET_TLS: FleetCert = makeFleetCert('rig-test');

/** A raw request to a fleet API, trusting exactly the certificate with `fingerprint` (as members do). */
export async function fleetFetch(url: string, fingerprint: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<PinnedResponse> {
  const u = new URL(url);
  const caPem = await fetchPinnedCert(u.hostname, Number(u.port), fingerprint, 5_000);
  return pinnedRequest({ url: u, method: init.method ?? 'GET', headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }), caPem, fingerprint, timeoutMs: 5_000 });
}
