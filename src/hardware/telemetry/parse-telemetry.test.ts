import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FAKE_NVIDIA_SMI, fakeNvidiaSmiEnv, nvidiaFixtures } from '../../../test/fake-nvidia-smi/index.js';
import { TELEMETRY_FIELDS, TelemetryBatcher, parseTelemetryLine } from './parse-telemetry.js';

describe('parseTelemetryLine', () => {
  it('reads a nounits row into numbers', () => {
    expect(parseTelemetryLine('1, GPU-abc, 97, 2893, 8119, 70, 211.06, 216.00, 64, 1847')).toEqual({
      index: 1,
      uuid: 'GPU-abc',
      utilizationPct: 97,
      memoryUsedMiB: 2893,
      memoryTotalMiB: 8119,
      temperatureC: 70,
      powerDrawW: 211.06,
      powerLimitW: 216,
      fanPct: 64,
      smClockMHz: 1847,
    });
  });

  it('turns [N/A], [Not Supported] and blanks into null', () => {
    const s = parseTelemetryLine('0, [N/A], [Not Supported], , 8192, [N/A], [Unknown Error], 175.00, [N/A], 300');
    expect(s).toMatchObject({ uuid: null, utilizationPct: null, memoryUsedMiB: null, temperatureC: null, powerDrawW: null, fanPct: null, powerLimitW: 175 });
  });

  it('rejects lines that are not rows', () => {
    expect(parseTelemetryLine('Failed to initialize NVML: Driver/library version mismatch')).toBeNull();
    expect(parseTelemetryLine('index, uuid, utilization.gpu [%], memory.used [MiB], memory.total [MiB], temperature.gpu, power.draw [W], power.limit [W], fan.speed [%], clocks.sm [MHz]')).toBeNull();
    expect(parseTelemetryLine('0, GPU-abc, 97')).toBeNull();
  });

  // Rows produced by the fake from the real --query-gpu captures: the columns are picked by header name.
  it.each(nvidiaFixtures('csv'))('reads the fake row built from %s', (csv) => {
    const out = execFileSync(FAKE_NVIDIA_SMI, [`--query-gpu=${TELEMETRY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'], {
      env: fakeNvidiaSmiEnv({ csv }),
      encoding: 'utf8',
    });
    const rows = out.trim().split('\n');
    expect(rows).toHaveLength(1);
    const s = parseTelemetryLine(rows[0]!);
    expect(s).not.toBeNull();
    // Every capture has a temperature and an SM clock; the values must arrive as numbers.
    expect(typeof s!.temperatureC).toBe('number');
    expect(typeof s!.smClockMHz).toBe('number');
  });
});

describe('TelemetryBatcher', () => {
  it('groups one row per GPU into one batch and starts a new batch when an index repeats', () => {
    const batches: number[][] = [];
    const b = new TelemetryBatcher((s) => batches.push(s.map((x) => x.index)), 10_000);
    b.push('0, a, 1, 1, 1, 1, 1, 1, 1, 1');
    b.push('1, b, 1, 1, 1, 1, 1, 1, 1, 1');
    b.push('0, a, 2, 1, 1, 1, 1, 1, 1, 1');
    b.push('garbage');
    b.flush();
    expect(batches).toEqual([[0, 1], [0]]);
    expect(b.rejected).toBe(1);
  });
});
