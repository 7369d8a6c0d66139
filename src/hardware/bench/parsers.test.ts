import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFioJson } from './fio-parse.js';
import { decodeReasons, parseStabilityCsv, SLOWDOWN_REASONS } from './gpu-query-parse.js';
import { parseNbodyOutput } from './nbody-parse.js';

const fixture = (p: string) => readFileSync(new URL(`../../../test/bench-fixtures/${p}`, import.meta.url), 'utf8');
const SMI_DIR = new URL('../../../../shared/fixtures/nvidia-smi/', import.meta.url).pathname;
/** The shared nvidia-smi captures start with a `# source:` line the real tool does not print. */
const smiCapture = (f: string) => readFileSync(SMI_DIR + f, 'utf8').replace(/^#[^\n]*\n/, '');

describe('nbody -benchmark output (real capture from Docker\'s GPU guide)', () => {
  const text = fixture('nbody/docker-desktop-gpu_rtx2060-maxq.txt');

  it('reads device, bodies, time, interactions and GFLOP/s, ignoring the help text before them', () => {
    expect(parseNbodyOutput(text)).toEqual({
      device: 'GeForce RTX 2060 with Max-Q Design',
      computeCapability: '7.5',
      bodies: 30720,
      iterations: 10,
      totalTimeMs: 69.28,
      interactionsPerSecondBillion: 136.219,
      gflops: 2724.379,
      precision: 'single',
    });
  });

  it('reads Windows line endings the same way (Docker Desktop logs)', () => {
    expect(parseNbodyOutput(text.replace(/\n/g, '\r\n')).gflops).toBe(2724.379);
  });

  it('a run cut short names its last lines instead of inventing a figure', () => {
    const cut = text.split('\n').filter((l) => !l.startsWith('= ')).join('\n');
    expect(() => parseNbodyOutput(cut)).toThrow(/did not print a result.*30720 bodies, total time/);
  });
});

describe('nbody -benchmark output from more real runs', () => {
  /** The three result lines as printed, read from the capture (never typed into the test). */
  const figuresOf = (text: string) => {
    const t = /^(\d+) bodies, total time for (\d+) iterations: ([\d.]+) ms$/m.exec(text)!;
    return { bodies: Number(t[1]), iterations: Number(t[2]), totalTimeMs: Number(t[3]), gflops: Number(/^= ([\d.]+) single-precision GFLOP\/s/m.exec(text)![1]) };
  };

  it.each([
    ['nbody/qwen-vl-readme_rtx4090.txt', 'NVIDIA GeForce RTX 4090', '8.9'],
    ['nbody/gromacs-notes_rtx3080.txt', 'NVIDIA GeForce RTX 3080', '8.6'],
    ['nbody/k3s-wsl2-notes_rtx4080-laptop_rounded-bodies.txt', 'NVIDIA GeForce RTX 4080 Laptop GPU', '8.9'],
  ])('%s: device, compute capability and the figures as printed', (file, device, cc) => {
    const text = fixture(file);
    const r = parseNbodyOutput(text);
    expect(r).toMatchObject({ device, computeCapability: cc, precision: 'single', ...figuresOf(text) });
  });

  it('uses the body count nbody rounded up to (a multiple of 256), not the one asked for', () => {
    const r = parseNbodyOutput(fixture('nbody/k3s-wsl2-notes_rtx4080-laptop_rounded-bodies.txt'));
    expect(r.bodies).toBe(1000192);
    expect(r.bodies % 256).toBe(0);
  });
});

describe('fio --output-format=json (real captures)', () => {
  it('fio 3.20 (kubestr): bw_bytes and iops per job; clat unknown under gtod_reduce', () => {
    const r = parseFioJson(fixture('fio/fio-3.20_randread-randwrite_4k_kubestr.json'));
    expect(r.version).toBe('fio-3.20');
    expect(r.jobs.map((j) => [j.name, j.rw])).toEqual([
      ['read_iops', 'randread'],
      ['write_iops', 'randwrite'],
    ]);
    expect(r.jobs[0]!.read).toEqual({ ioBytes: 61886464, bwBytes: 4039322, iops: 982.05078, clatMeanUs: null });
    expect(r.jobs[0]!.write).toBeNull();
    expect(r.jobs[1]!.write).toMatchObject({ bwBytes: 1616406, iops: 390.525218 });
  });

  it('fio 2.17 (PerfKitBenchmarker): bw in KiB/s becomes bytes/s, clat is already µs', () => {
    const r = parseFioJson(fixture('fio/fio-2.17_randread-randwrite_16k_pkb.json'));
    expect(r.jobs[0]!.read).toEqual({ ioBytes: 1294256, bwBytes: 129386 * 1024, iops: 8086.673998, clatMeanUs: 238.357679 });
    expect(r.jobs[1]!.rw).toBe('randwrite');
    expect(r.jobs[1]!.write?.clatMeanUs).toBe(800.193694);
  });

  it('fio 2.1.4 (oldest layout, duplicate percentile keys): every job has its one direction', () => {
    const r = parseFioJson(fixture('fio/fio-2.1.4_seq-and-random_pkb.json'));
    const seqRead = r.jobs.find((j) => j.name === 'sequential_read')!;
    expect(seqRead.read?.bwBytes).toBe(129836 * 1024);
    expect(seqRead.write).toBeNull();
    expect(r.jobs.find((j) => j.name === 'sequential_write')!.write?.iops).toBe(133);
  });

  it('finds the JSON between the progress lines fio prints before it and the report after it', () => {
    const json = fixture('fio/fio-3.20_randread-randwrite_4k_kubestr.json');
    const wrapped = `read_iops: (g=0): rw=randread, bs=(R) 4096B-4096B\nfio-3.20\nStarting 2 processes\n${json}\n\nRun status group 0 (all jobs): {not json}\n`;
    expect(parseFioJson(wrapped).jobs).toHaveLength(2);
  });

  it('says so when there is no report', () => {
    expect(() => parseFioJson('fio: pid=0, err=28/file:filesetup.c:240, func=write, error=No space left on device')).toThrow(/did not print a JSON report/);
  });
});

describe('stability telemetry query (real --query-gpu captures)', () => {
  const csvs = readdirSync(SMI_DIR).filter((f) => f.endsWith('query-gpu.csv'));

  it('has captures to read', () => expect(csvs.length).toBeGreaterThan(3));

  it.each(csvs)('%s: one sample with temperature, clocks, power and the slowdown mask', (file) => {
    const [s, ...rest] = parseStabilityCsv(smiCapture(file));
    expect(rest).toHaveLength(0);
    expect(s!.index).toBe(0);
    expect(s!.temperatureC).toBeGreaterThan(0);
    expect(s!.reasonsMask).not.toBeNull();
    // Every capture reports either idle (bit 0) or nothing active.
    expect(decodeReasons(s!.reasonsMask).every((r) => !SLOWDOWN_REASONS.has(r))).toBe(true);
  });

  it('L40S under load: clocks and power as nvidia-smi printed them with units', () => {
    const [s] = parseStabilityCsv(smiCapture('l40s_595.80_1row_linux_query-gpu.csv'));
    expect(s).toMatchObject({ name: 'NVIDIA L40S', temperatureC: 63, smClockMHz: 2520, maxSmClockMHz: 2520, powerDrawW: 144.97, powerLimitW: 350, utilizationPct: 100, reasonsMask: 0 });
  });

  it('decodes the NVML reason bits by name', () => {
    expect(decodeReasons(0x1)).toEqual(['gpu_idle']);
    expect(decodeReasons(0x4 | 0x40)).toEqual(['sw_power_cap', 'hw_thermal_slowdown']);
    expect(decodeReasons(null)).toEqual([]);
  });
});
