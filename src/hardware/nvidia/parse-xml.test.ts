import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GpuInfo } from '../../api/schemas/hardware.js';
import { nvidiaFixture, nvidiaFixtures } from '../../../test/fake-nvidia-smi/index.js';
import { NvidiaXmlError, parseNvidiaSmiXml } from './parse-xml.js';

/*
 * Expectations are read from each capture with plain regular expressions, independently of the
 * parser (which walks a fast-xml-parser tree), so a parser bug cannot hide behind itself.
 */
const section = (text: string, name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text)?.[1] ?? '';
const tagText = (text: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1]?.trim();
const num = (raw: string | undefined) => {
  const m = raw === undefined ? null : /^(-?\d+(?:\.\d+)?)(?:\s*\S+)?$/.exec(raw.trim());
  return m ? Number(m[1]) : null;
};
const firstNum = (text: string, names: string[]) => {
  for (const n of names) {
    for (const m of text.matchAll(new RegExp(`<${n}>([^<]*)</${n}>`, 'g'))) {
      const v = num(m[1]);
      if (v !== null) return v;
    }
  }
  return null;
};

function expectedFrom(xml: string) {
  const blocks = xml.split(/<gpu id="/).slice(1);
  return {
    driver: tagText(xml, 'driver_version') ?? null,
    cuda: tagText(xml, 'cuda_version') ?? null,
    // A MIG GPU lists its slices first, each with its own fb_memory_usage; they are not the card.
    gpus: blocks.map((raw) => {
      const b = raw.replace(/<mig_devices>[\s\S]*?<\/mig_devices>/, '');
      const power = ['power_readings', 'gpu_power_readings', 'module_power_readings'].map((s) => section(b, s)).join('\n');
      const uuid = tagText(b, 'uuid');
      return {
        name: tagText(b, 'product_name'),
        uuid: uuid && uuid !== 'N/A' ? uuid : null,
        pciBusId: tagText(section(b, 'pci'), 'pci_bus_id') ?? null,
        vramMiB: num(tagText(section(b, 'fb_memory_usage'), 'total')),
        memoryUsedMiB: num(tagText(section(b, 'fb_memory_usage'), 'used')),
        temperatureC: num(tagText(section(b, 'temperature'), 'gpu_temp')),
        utilizationPct: num(tagText(section(b, 'utilization'), 'gpu_util')),
        powerDrawW: firstNum(power, ['power_draw', 'instant_power_draw', 'average_power_draw']),
        powerLimitW: firstNum(power, ['power_limit', 'current_power_limit', 'enforced_power_limit']),
        processes: (section(b, 'processes').match(/<process_info>/g) ?? []).length,
      };
    }),
  };
}

const xmlFiles = nvidiaFixtures('xml');

describe('parseNvidiaSmiXml over every real capture', () => {
  it('has captures to read', () => {
    expect(xmlFiles.length).toBeGreaterThanOrEqual(20);
  });

  it.each(xmlFiles)('%s', (file) => {
    const xml = readFileSync(nvidiaFixture(file), 'utf8');
    const want = expectedFrom(xml);
    const got = parseNvidiaSmiXml(xml);

    expect(got.driverVersion).toBe(want.driver);
    expect(got.cudaVersion).toBe(want.cuda);
    expect(got.gpus).toHaveLength(want.gpus.length);
    got.gpus.forEach((g, i) => {
      const w = want.gpus[i]!;
      expect(GpuInfo.safeParse(g).success).toBe(true);
      expect(g.index).toBe(i);
      expect(g.name).toBe(w.name);
      expect(g.uuid).toBe(w.uuid);
      expect(g.pciBusId).toBe(w.pciBusId);
      expect(g.vramMiB).toBe(w.vramMiB);
      expect(g.memoryUsedMiB).toBe(w.memoryUsedMiB);
      expect(g.temperatureC).toBe(w.temperatureC);
      expect(g.utilizationPct).toBe(w.utilizationPct);
      expect(g.powerDrawW).toBe(w.powerDrawW);
      expect(g.powerLimitW).toBe(w.powerLimitW);
      expect(g.processes).toHaveLength(w.processes);
      expect(g.driverVersion).toBe(want.driver);
      // Numbers are numbers or null, never strings with units or "N/A".
      for (const k of ['vramMiB', 'temperatureC', 'powerDrawW', 'powerLimitW', 'utilizationPct', 'memoryUsedMiB', 'fanPct'] as const) {
        expect(g[k] === null || typeof g[k] === 'number').toBe(true);
      }
    });
  });
});

describe('parseNvidiaSmiXml on the special cases the captures cover', () => {
  const parse = (f: string) => parseNvidiaSmiXml(readFileSync(nvidiaFixture(f), 'utf8'));

  it('reads a driver too old to report a CUDA version as null', () => {
    expect(parse('gridk520_352.99_1gpu.xml').cudaVersion).toBeNull();
  });

  it('turns N/A power on a vGPU guest into null and marks the guest virtual', () => {
    const g = parse('gridp41q_513.46_1gpu.xml').gpus[0]!;
    expect(g.powerDrawW).toBeNull();
    expect(g.powerLimitW).toBeNull();
    expect(g.virtualized).toBe(true);
    expect(g.driverModel).toBe('WDDM');
    // WDDM hides per-process memory: the processes are listed, their memory is unknown.
    expect(g.processes.length).toBeGreaterThan(0);
    expect(g.processes.every((p) => p.usedMiB === null)).toBe(true);
  });

  it('reads MIG as enabled on the A100 capture and as unknown where nvidia-smi says N/A', () => {
    expect(parse('a100sxm480gb_535.54.03_1gpu.xml').gpus[0]!.migEnabled).toBe(true);
    expect(parse('rtx3090_590.44.01_1gpu.xml').gpus[0]!.migEnabled).toBeNull();
  });

  it('reads the newer power layout (gpu_power_readings) and its max limit', () => {
    const g = parse('rtx3090_590.44.01_1gpu.xml').gpus[0]!;
    expect(g.powerDrawW).toBe(35.15);
    expect(g.powerLimitW).toBe(350);
    expect(g.powerMaxLimitW).toBe(480);
  });

  it('keeps process details from a Windows capture', () => {
    const g = parse('rtx3080_536.40_1gpu.xml').gpus[0]!;
    expect(g.processes[0]).toEqual({ pid: 835, name: '/usr/lib/Xorg', usedMiB: 550, type: 'G' });
  });

  it('rejects output cut in half as malformed', () => {
    const xml = readFileSync(nvidiaFixture('rtx4090_535.86.05_1gpu.xml'), 'utf8');
    expect(() => parseNvidiaSmiXml(xml.slice(0, xml.length / 2))).toThrow(NvidiaXmlError);
  });

  it('rejects text that is not an nvidia-smi report', () => {
    expect(() => parseNvidiaSmiXml('No devices were found')).toThrow(NvidiaXmlError);
    expect(() => parseNvidiaSmiXml('<html><body>hi</body></html>')).toThrow(NvidiaXmlError);
  });

  it('accepts an inline DTD without expanding its entities', () => {
    const xml = `<?xml version="1.0" ?>
<!DOCTYPE nvidia_smi_log [ <!ELEMENT nvidia_smi_log ANY> <!ENTITY x "boom"> ]>
<nvidia_smi_log><driver_version>550.54.14</driver_version><attached_gpus>0</attached_gpus></nvidia_smi_log>`;
    const got = parseNvidiaSmiXml(xml);
    expect(got.driverVersion).toBe('550.54.14');
    expect(got.gpus).toEqual([]);
  });
});
