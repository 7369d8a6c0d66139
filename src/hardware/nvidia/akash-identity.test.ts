import { describe, expect, it } from 'vitest';
import { akashIdentity, akashModel, akashRam } from './akash-identity.js';

describe('akashModel: nvidia-smi product names to Akash model names (provider-configs gpus.json style)', () => {
  it.each([
    ['NVIDIA GeForce RTX 4090', 'rtx4090'],
    ['NVIDIA GeForce RTX 3060', 'rtx3060'],
    ['GeForce GTX 1080', 'gtx1080'],
    ['GeForce GTX 1650 SUPER', 'gtx1650super'],
    ['GeForce RTX 2080 Ti', 'rtx2080ti'],
    ['GeForce GTX 1060 6GB', 'gtx1060'],
    ['NVIDIA GeForce GT 1030', 'gt1030'],
    ['Tesla T4', 't4'],
    ['Tesla P100-PCIE-16GB', 'p100'],
    ['Tesla V100-PCIE-32GB', 'v100'],
    ['NVIDIA A100-SXM4-80GB', 'a100'],
    ['NVIDIA H100 80GB HBM3', 'h100'],
    ['NVIDIA H100 PCIe', 'h100'],
    ['Quadro P2000', 'p2000'],
    ['NVIDIA RTX 4000 SFF Ada Generation', 'rtx4000sffada'],
    ['NVIDIA RTX A6000', 'rtxa6000'],
    ['NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition', 'pro6000mq'],
    ['NVIDIA RTX PRO 6000 Blackwell Workstation Edition', 'pro6000we'],
    ['NVIDIA RTX PRO 6000 Blackwell Server Edition', 'pro6000se'],
    ['GRID P4-1Q', 'p4'],
  ])('%s → %s', (name, model) => {
    expect(akashModel(name)).toBe(model);
  });

  it('gives no model for the generic name old drivers use for unknown cards', () => {
    expect(akashModel('Graphics Device')).toBeNull();
    expect(akashIdentity('Graphics Device', 6144)).toBeNull();
  });
});

describe('akashRam: reported MiB to the nominal Gi Akash labels', () => {
  it.each([
    [15360, '16Gi'], // Tesla T4 reports 15360 MiB, Akash labels it 16Gi (GPU enablement doc)
    [24564, '24Gi'], // RTX 4090
    [23028, '24Gi'], // A10G
    [81920, '80Gi'], // A100 80GB
    [10240, '10Gi'], // RTX 3080
    [12288, '12Gi'], // RTX 3060
    [5059, '5Gi'], // Quadro P2000
    [32510, '32Gi'], // V100 32GB
    [97887, '96Gi'], // RTX PRO 6000
    [10989, '11Gi'], // RTX 2080 Ti
  ])('%d MiB → %s', (mib, ram) => {
    expect(akashRam(mib)).toBe(ram);
  });
});

describe('akashIdentity: interface', () => {
  it('says sxm for SXM boards, including the HBM3 H100 whose name does not say so', () => {
    expect(akashIdentity('NVIDIA A100-SXM4-80GB', 81920)?.interface).toBe('sxm');
    expect(akashIdentity('NVIDIA H100 80GB HBM3', 81559)?.interface).toBe('sxm');
    expect(akashIdentity('NVIDIA H100 PCIe', 81559)?.interface).toBe('pcie');
    expect(akashIdentity('NVIDIA GeForce RTX 4090', 24564)).toEqual({ model: 'rtx4090', ram: '24Gi', interface: 'pcie' });
  });
});
