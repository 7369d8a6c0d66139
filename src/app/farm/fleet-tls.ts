import { z } from 'zod';
import { fingerprintOf, makeFleetCert, type FleetCert } from '../../provider/farm/fleet-cert.js';
import type { FarmDeps } from './farm-deps.js';
import { machineNameOf } from './farm-deps.js';

/**
 * The controller's fleet API certificate and key, made once and kept together in the SecretStore
 * (one value, so a key never pairs with another process's certificate). The join code carries its
 * fingerprint; members pin it.
 */
export const SECRET_FLEET_TLS = 'farm.fleet-tls';
const Stored = z.object({ certPem: z.string().min(100), keyPem: z.string().min(100) });

let making: Promise<FleetCert> | null = null;

export async function controllerFleetCert(d: FarmDeps): Promise<FleetCert> {
  const raw = await d.secrets.get(SECRET_FLEET_TLS);
  if (raw) {
    const parsed = Stored.safeParse(safeJson(raw));
    if (parsed.success) {
      const der = Buffer.from(parsed.data.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      return { ...parsed.data, fingerprint: fingerprintOf(der) };
    }
  }
  making ??= (async () => {
    const made = makeFleetCert(machineNameOf(await d.settings(), d.hostname()));
    await d.secrets.set(SECRET_FLEET_TLS, JSON.stringify({ certPem: made.certPem, keyPem: made.keyPem }));
    d.logger.info('farm: made the fleet API certificate', { fingerprint: made.fingerprint });
    return made;
  })().finally(() => {
    making = null;
  });
  return making;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
