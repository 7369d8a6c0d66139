import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Settings } from '../../api/schemas/settings.js';
import { makeFleetCert } from '../../provider/farm/fleet-cert.js';
import { FLEET_PATH } from '../../provider/farm/fleet-protocol.js';
import type { SecretStore } from '../../store/secret-store.js';
import { silentLogger } from '../../util/logger.js';
import { TEST_FLEET_TLS } from '../../../test/farm/fleet-https.js';
import type { FarmDeps } from './farm-deps.js';
import { FleetClient } from './fleet-client.js';
import { startFleetServer, type FleetBackend } from './fleet-server.js';
import { controllerFleetCert, SECRET_FLEET_TLS } from './fleet-tls.js';

const backend: FleetBackend = {
  pairingValid: async () => true,
  machineValid: async () => true,
  hello: async () => ({ serverTime: Date.now(), k3sVersion: 'v', controller: 'rig-a' }),
  register: async () => ({}),
  heartbeat: async () => ({}),
  leave: async () => ({}),
  memberAvailability: async () => ({}),
};
const SECRET = 'p'.repeat(43);

describe('the fleet API speaks TLS, and members trust only the certificate the code names', () => {
  it('a member talks to the controller whose fingerprint the code carries', async () => {
    const server = await startFleetServer({ host: '127.0.0.1', port: 0, backend, logger: silentLogger, tls: TEST_FLEET_TLS });
    try {
      const hello = await new FleetClient(`https://127.0.0.1:${server.port}`, TEST_FLEET_TLS.fingerprint).hello(SECRET);
      expect(hello.controller).toBe('rig-a');
      // Plain HTTP gets no answer from it: the pairing secret never crosses the LAN in clear.
      const plain = await new Promise<string>((resolve) => {
        const req = http.request({ host: '127.0.0.1', port: server.port, path: `${FLEET_PATH}/hello`, headers: { authorization: `RigLease-Fleet ${SECRET}` } }, (res) => resolve(`HTTP ${res.statusCode ?? 0}`));
        req.on('error', (err) => resolve(`error ${err.message}`));
        req.end();
      });
      expect(plain).not.toMatch(/^HTTP 200/);
    } finally {
      await server.close();
    }
  });

  it('an impostor on the controller\'s address (another certificate) is refused before anything is sent to it', async () => {
    const other = makeFleetCert('impostor');
    const seen: string[] = [];
    const impostor = https.createServer({ cert: other.certPem, key: other.keyPem }, (req, res) => {
      seen.push(`${req.url ?? ''} ${req.headers.authorization ?? ''}`);
      res.end('{"ok":true,"value":{"serverTime":0,"k3sVersion":"v","controller":"evil"}}');
    });
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', r));
    try {
      const port = (impostor.address() as AddressInfo).port;
      const err = await new FleetClient(`https://127.0.0.1:${port}`, TEST_FLEET_TLS.fingerprint).hello(SECRET).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'forbidden' });
      expect(String((err as Error).message)).toMatch(/not the controller that made this join code/);
      expect(seen).toEqual([]);
    } finally {
      impostor.closeAllConnections();
      await new Promise<void>((r) => impostor.close(() => r()));
    }
  });

  it('a code without the controller\'s fingerprint is not talked to at all', async () => {
    await expect(new FleetClient('http://127.0.0.1:9', null).hello(SECRET)).rejects.toThrow(/before the controller's fleet API used TLS/);
  });

  it('the controller makes its certificate once, keeps certificate and key together as one secret, and its fingerprint is stable', async () => {
    const m = new Map<string, string>();
    const secrets: SecretStore = { kind: 'memory', has: async (k) => m.has(k), get: async (k) => m.get(k) ?? null, set: async (k, v) => void m.set(k, v), delete: async (k) => void m.delete(k) };
    const d = { secrets, settings: async () => Settings.parse({ farm: { machineName: 'rig-a' } }), hostname: () => 'rig-a', logger: silentLogger } as unknown as FarmDeps;
    const [a, b] = await Promise.all([controllerFleetCert(d), controllerFleetCert(d)]);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect((await controllerFleetCert(d)).fingerprint).toBe(a.fingerprint);
    expect(JSON.parse(m.get(SECRET_FLEET_TLS)!)).toEqual({ certPem: a.certPem, keyPem: a.keyPem });
  });
});
