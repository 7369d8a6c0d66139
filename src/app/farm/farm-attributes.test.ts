import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProviderProfileSettings } from '../../api/schemas/settings/chain.js';
import { nvidiaFixture } from '../../../test/fake-nvidia-smi/index.js';
import { parseNvidiaSmiXml } from '../../hardware/nvidia/parse-xml.js';
import { agentNodeLabels } from '../../provider/farm/agent-spec.js';
import { farmAttributes, fleetGpuOf } from './farm-attributes.js';

const fleet = (file: string) => parseNvidiaSmiXml(readFileSync(nvidiaFixture(file), 'utf8')).gpus.map((g) => fleetGpuOf(g, undefined));
const rtx3090 = fleet('rtx3090_590.44.01_1gpu.xml');
const rtx4090 = fleet('rtx4090_535.86.05_1gpu.xml');
const rtx2080x2 = fleet('rtx2080_590.44.01_2gpu.xml');
const profile = ProviderProfileSettings.parse({ locationRegion: 'eu-central', memoryType: 'ddr5' });
const keys = (a: { key: string }[]) => a.map((x) => x.key);

describe('farm attributes and node labels across machines with different GPUs', () => {
  it('announces every model of the farm (rtx3090 here, rtx4090 and rtx2080 on the members)', () => {
    const { attributes, warnings } = farmAttributes(null, profile, [...rtx3090, ...rtx4090, ...rtx2080x2]);
    const k = keys(attributes);
    for (const m of ['rtx3090', 'rtx4090', 'rtx2080']) {
      expect(k).toContain(`capabilities/gpu/vendor/nvidia/model/${m}`);
      expect(k).toContainEqual(expect.stringMatching(new RegExp(`model/${m}/ram/\\d+Gi/interface/pcie$`)));
    }
    expect(attributes.find((a) => a.key === 'capabilities/gpu')?.value).toBe('nvidia');
    expect(k).toContain('location-region');
    // Several models across machines is the normal farm, not a warning (one model per node still holds).
    expect(warnings.join(' ')).not.toMatch(/one GPU model per node/);
  });

  it('a machine leaving takes its model out of the attributes', () => {
    const k = keys(farmAttributes(null, profile, [...rtx3090, ...rtx2080x2]).attributes);
    expect(k).not.toContainEqual(expect.stringContaining('rtx4090'));
  });

  it('a user-set attribute is never overridden by the derived ones', () => {
    const own = ProviderProfileSettings.parse({ ...profile, extraAttributes: { 'capabilities/gpu': 'nvidia-custom' } });
    expect(farmAttributes(null, own, rtx4090).attributes.find((a) => a.key === 'capabilities/gpu')?.value).toBe('nvidia-custom');
  });

  it('a node carries only which farm machine it is: the Akash GPU labels are the inventory operator\'s to write', () => {
    expect(agentNodeLabels('m2', false)).toEqual({ 'riglease.io/farm-machine': 'm2', 'riglease.io/farm-role': 'agent' });
    // With GPUs, the playbook's GPU-node label for the device plugin (not an Akash label).
    expect(agentNodeLabels('m2', true)).toEqual({ 'riglease.io/farm-machine': 'm2', 'riglease.io/farm-role': 'agent', 'allow-nvdp': 'true' });
    expect(Object.keys(agentNodeLabels('m1', true)).some((k) => k.startsWith('akash.network') || k === 'nvidia.com/gpu.present')).toBe(false);
  });
});
