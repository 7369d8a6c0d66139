import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDockerEngine } from '../../../test/docker/engine.js';
import { buildStandInImage } from '../../../test/docker/stand-in-image.js';
import { parseStabilityCsv, type StabilitySample } from './gpu-query-parse.js';
import { runStability, summarizeStability } from './stability.js';

const L40S = readFileSync(new URL('../../../../shared/fixtures/nvidia-smi/l40s_595.80_1row_linux_query-gpu.csv', import.meta.url), 'utf8').replace(/^#[^\n]*\n/, '');
const real = parseStabilityCsv(L40S);
/** The real L40S reading with one field changed, to see how a throttling card is reported. */
const variant = (patch: Partial<StabilitySample>): StabilitySample[] => [{ ...real[0]!, ...patch }];

describe('stability summary', () => {
  it('a card at full load within limits has figures and only the informational flags', () => {
    const s = summarizeStability([real, real], 83);
    expect(s.gpus[0]).toMatchObject({ name: 'NVIDIA L40S', samples: 2, maxTemperatureC: 63, maxPowerW: 144.97, minSmClockMHz: 2520, throttledPct: 0 });
    expect(s.gpus[0]!.avgPowerW).toBeCloseTo(144.97, 0);
    expect(s.flags).toEqual([]);
  });

  it('flags heat above the limit, thermal slowdown and hardware slowdown, in words', () => {
    const s = summarizeStability([real, variant({ temperatureC: 91, reasonsMask: 0x40 }), variant({ reasonsMask: 0x8 })], 83);
    expect(s.gpus[0]!.throttledPct).toBeCloseTo(66.7, 0);
    const text = s.flags.map((f) => `${f.severity}: ${f.message}`).join('\n');
    expect(text).toMatch(/warn: NVIDIA L40S reached 91 °C/);
    expect(text).toMatch(/warn: .*too hot \(thermal slowdown\)/);
    expect(text).toMatch(/block: .*hardware slowdown/);
  });

  it('power cap alone is normal and said to be', () => {
    const s = summarizeStability([variant({ reasonsMask: 0x4 })], 83);
    expect(s.flags).toEqual([{ severity: 'info', message: 'NVIDIA L40S ran at its power limit; that is normal under full load.' }]);
  });
});

const engine = await testDockerEngine();
describe.skipIf(!engine.ok)('stability run with a load container (real engine, stand-in load)', () => {
  const IMAGE = 'riglease-test/bench-standin:load';
  beforeAll(async () => {
    if (engine.ok) await buildStandInImage(engine.docker, IMAGE);
  });
  const bench = async (runId: string) => (await (engine.ok ? engine.docker.listContainers({ all: true, filters: { label: [`io.riglease.bench.run=${runId}`] } }) : []));

  it('samples for the chosen time, then stops and removes the load', async () => {
    if (!engine.ok) return;
    let calls = 0;
    const r = await runStability({ minutes: 0.05, sampleSec: 1, maxTemperatureC: 83, sampler: async () => (calls++, real), signal: new AbortController().signal, load: { docker: engine.docker, image: IMAGE, cmd: ['sleep', '600'], gpus: null, runId: 'stab-ok' } });
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(r.loadRan).toBe(true);
    expect(r.gpus[0]!.samples).toBe(calls);
    expect(await bench('stab-ok')).toHaveLength(0);
  });

  it('a load that dies early is flagged as blocking', async () => {
    if (!engine.ok) return;
    const r = await runStability({ minutes: 0.1, sampleSec: 1, maxTemperatureC: 83, sampler: async () => real, signal: new AbortController().signal, load: { docker: engine.docker, image: IMAGE, cmd: ['sh', '-c', 'echo "nbody stopped with an error"; exit 1'], gpus: null, runId: 'stab-dies' } });
    expect(r.loadRan).toBe(false);
    expect(r.flags[0]).toMatchObject({ severity: 'block' });
    expect(r.flags[0]!.message).toMatch(/nbody stopped with an error/);
    expect(await bench('stab-dies')).toHaveLength(0);
  });

  it('cancel ends the run and removes the load', async () => {
    if (!engine.ok) return;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 1500);
    const run = runStability({ minutes: 5, sampleSec: 1, maxTemperatureC: 83, sampler: async () => real, signal: ac.signal, load: { docker: engine.docker, image: IMAGE, cmd: ['sleep', '600'], gpus: null, runId: 'stab-cancel' } });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(await bench('stab-cancel')).toHaveLength(0);
  });
});
