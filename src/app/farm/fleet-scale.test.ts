// A controller with 50 members stays responsive: 50 simulated machines (two real RTX 2080
// captures each) register through the real fleet API (TLS listener, real client, single-use
// codes) and beat concurrently; the fleet rows the Fleet screen and `farm status` show are timed
// and weighed. The figures are printed; the bounds are generous (a busy 2-core machine) and only
// catch a controller that stops answering or a payload that grows without limit.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import { Settings } from '../../api/schemas/settings.js';
import { parseNvidiaSmiXml } from '../../hardware/nvidia/parse-xml.js';
import { keyHash, newSecret } from '../../provider/farm/fleet-protocol.js';
import { K3S_VERSION } from '../../provider/stack/images.js';
import { silentLogger } from '../../util/logger.js';
import { nvidiaFixture } from '../../../test/fake-nvidia-smi/index.js';
import { TEST_FLEET_TLS } from '../../../test/farm/fleet-https.js';
import { farmTestDeps } from '../../../test/farm/simulated-farm.js';
import { fleetGpuOf } from './farm-attributes.js';
import { FarmController } from './farm-controller.js';
import type { FarmDeps } from './farm-deps.js';
import { FarmStateStore } from './farm-state.js';
import { FleetClient } from './fleet-client.js';
import { FLEET_RATE_LIMITS, SourceRateLimiter } from './fleet-rate-limit.js';
import { startFleetServer, type RunningFleetServer } from './fleet-server.js';

const MEMBERS = 50;
const captured = parseNvidiaSmiXml(readFileSync(nvidiaFixture('rtx2080_590.44.01_2gpu.xml'), 'utf8')).gpus;
const report = { scannedAt: '', durationMs: 1, verdict: 'ready', gpus: captured, nvidia: { state: 'ok', message: 'ok' }, checks: [] } as unknown as HardwareReport;
const gpus = captured.map((g) => ({ ...fleetGpuOf(g, undefined), utilizationPct: 97, temperatureC: 71, powerDrawW: 331, memoryUsedMiB: 20_480 }));

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

describe(`a controller with ${MEMBERS} members (real fleet API, simulated machines)`, () => {
  let dir: string;
  let server: RunningFleetServer;
  let ctl: FarmController;
  let deps: FarmDeps;
  let client: FleetClient;
  const keys: { id: string; key: string }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'riglease-fleet-scale-'));
    deps = farmTestDeps({ store: new FarmStateStore(path.join(dir, 'ctl')), settings: async () => Settings.parse({ farm: { machineName: 'rig-ctl' } }), report, hostname: 'rig-ctl' });
    ctl = new FarmController(deps);
    await deps.store.update((s) => {
      s.role = 'controller';
      s.controller = { createdAt: new Date().toISOString(), pairings: [], members: [], selfIntent: null };
    });
    // Fifty machines have fifty addresses; here they all come from 127.0.0.1, so the per-address
    // limit is raised fiftyfold (the same limiter class, the same code path).
    const limiter = new SourceRateLimiter({ ...FLEET_RATE_LIMITS, burst: FLEET_RATE_LIMITS.burst * MEMBERS, perMinute: FLEET_RATE_LIMITS.perMinute * MEMBERS });
    server = await startFleetServer({ host: '127.0.0.1', port: 0, backend: ctl, logger: silentLogger, tls: TEST_FLEET_TLS, limiter });
    client = new FleetClient(`https://127.0.0.1:${server.port}`, TEST_FLEET_TLS.fingerprint);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`registers ${MEMBERS} machines, takes their concurrent heartbeats, and answers the fleet view fast and small`, async () => {
    const t0 = performance.now();
    for (let i = 0; i < MEMBERS; i++) {
      // One single-use code per machine, as "Add a machine" makes them.
      const secret = newSecret();
      await deps.store.update((s) => void s.controller!.pairings.push({ hash: keyHash(secret), expiresAt: Math.floor(Date.now() / 1000) + 600, usedAt: null, usedBy: null, k3sTokenId: null }));
      const id = (0xa0000000 + i).toString(16).padStart(16, '0');
      const r = await client.register(secret, { machineId: id, hostname: `rig-${i}`, nodeName: `rl-rig-${i}`, k3sVersion: K3S_VERSION, rigleaseVersion: 't', gpus });
      keys.push({ id, key: r.machineKey });
    }
    const registerMs = performance.now() - t0;

    // Every member beats at once (the worst moment: all their timers aligned), twice.
    const beatMs: number[] = [];
    for (let round = 0; round < 2; round++) {
      await Promise.all(
        keys.map(async ({ id, key }) => {
          const s = performance.now();
          await client.heartbeat(key, { machineId: id, gpus, availability: 'online', agentContainer: 'running', bench: { gflops: 812.5, at: new Date().toISOString(), device: 'NVIDIA GeForce RTX 2080' } });
          beatMs.push(performance.now() - s);
        }),
      );
    }

    const viewMs: number[] = [];
    let bytes = 0;
    let rows = 0;
    for (let i = 0; i < 10; i++) {
      const s = performance.now();
      const machines = await ctl.machines();
      viewMs.push(performance.now() - s);
      bytes = Buffer.byteLength(JSON.stringify(machines));
      rows = machines.length;
    }
    console.info(
      `fleet scale (${MEMBERS} members × ${gpus.length} GPUs): register all ${Math.round(registerMs)} ms; heartbeat p50 ${Math.round(pct(beatMs, 50))} ms, p95 ${Math.round(pct(beatMs, 95))} ms, max ${Math.round(Math.max(...beatMs))} ms (${beatMs.length} beats, ${MEMBERS} at once); fleet view p50 ${Math.round(pct(viewMs, 50))} ms, max ${Math.round(Math.max(...viewMs))} ms, ${rows} rows, ${(bytes / 1024).toFixed(1)} KiB JSON (${Math.round(bytes / rows)} B per machine)`,
    );
    expect(rows).toBe(MEMBERS + 1);
    expect(beatMs).toHaveLength(MEMBERS * 2);
    expect(pct(beatMs, 95)).toBeLessThan(5_000);
    expect(Math.max(...viewMs)).toBeLessThan(2_000);
    // The view grows with the machines and nothing else: a few KiB per machine.
    expect(bytes / rows).toBeLessThan(8 * 1024);
  }, 120_000);
});
