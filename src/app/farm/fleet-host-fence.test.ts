import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { Settings } from '../../api/schemas/settings.js';
import { keyHash, newSecret } from '../../provider/farm/fleet-protocol.js';
import type { SecretStore } from '../../store/secret-store.js';
import { silentLogger } from '../../util/logger.js';
import { FarmController } from './farm-controller.js';
import { FarmStateStore } from './farm-state.js';
import { FleetClient } from './fleet-client.js';
import { startFleetServer } from './fleet-server.js';
import { TEST_FLEET_TLS } from '../../../test/farm/fleet-https.js';
import { farmTestDeps } from '../../../test/farm/simulated-farm.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A controller whose stack settings are `stack`, answering hello over its real TLS listener. */
async function helloFrom(stack: Record<string, unknown>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-fleet-fence-'));
  dirs.push(dir);
  const pairing = newSecret();
  const store = new FarmStateStore(dir);
  await store.update((s) => {
    s.role = 'controller';
    s.controller = { createdAt: new Date().toISOString(), pairings: [{ hash: keyHash(pairing), expiresAt: Math.floor(Date.now() / 1000) + 600, usedAt: null, usedBy: null, k3sTokenId: null }], members: [], selfIntent: null };
  });
  const secrets: SecretStore = { kind: 'memory', has: async () => false, get: async () => null, set: async () => undefined, delete: async () => undefined };
  const report = { gpus: [] } as unknown as HardwareReport;
  const controller = new FarmController(farmTestDeps({ store, secrets, settings: async () => Settings.parse({ farm: { machineName: 'rig-a' }, stack }), report, hostname: 'rig-a' }));
  const server = await startFleetServer({ host: '127.0.0.1', port: 0, backend: controller, logger: silentLogger, tls: TEST_FLEET_TLS });
  try {
    return await new FleetClient(`https://127.0.0.1:${server.port}`, TEST_FLEET_TLS.fingerprint).hello(pairing);
  } finally {
    await server.close();
  }
}

describe('the controller tells joining machines which public address to fence', () => {
  it('sends provider.<domain> and its NodePort range once a domain is set, and null before', async () => {
    expect((await helloFrom({ domain: 'example.org', ports: { nodePortStart: 31000, nodePortCount: 10 } })).hostFence).toEqual({ name: 'provider.example.org', nodePorts: '31000:31009' });
    expect((await helloFrom({})).hostFence).toBeNull();
  });
});
