import { describe, expect, it } from 'vitest';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { INVENTORY_LINKS, drmState, gpuNodeLabels, isBoardPartner, notRecognisedAdvice, parseDrmProbe, sysfsPciAddress } from './gpu-labels.js';

// Real captures (../shared/fixtures/nvidia-smi): sub-system ids as nvidia-smi prints them.
const sub = (file: string) => fixtureGpus(file).map((g) => g.pciSubSystemId);

describe('board-partner cards from the real captures', () => {
  it('a non-10de sub-vendor is a board-partner card; an NVIDIA-made one is not', () => {
    expect(sub('rtx4090_535.86.05_1gpu.xml')).toEqual(['40BF1458']); // Gigabyte
    expect(isBoardPartner('40BF1458')).toBe(true);
    expect(sub('gtx1080_460.27.04_2gpu.xml').map(isBoardPartner)).toEqual([true, true]);
    expect(sub('teslat4_515.105.01_1gpu.xml').map(isBoardPartner)).toEqual([false]);
    expect(isBoardPartner(null)).toBe(false);
    expect(isBoardPartner('garbage')).toBe(false);
  });
});

describe('the labels the operator is expected to set (compared, never applied)', () => {
  it('one key per model, RAM and interface, counting GPUs of a model', () => {
    const [g] = gpuNodeLabels(fixtureGpus('rtx4090_535.86.05_1gpu.xml')).perGpu;
    expect(Object.keys(g!.labels).sort()).toEqual([
      'akash.network/capabilities.gpu.vendor.nvidia.model.rtx4090',
      'akash.network/capabilities.gpu.vendor.nvidia.model.rtx4090.interface.PCIe',
      'akash.network/capabilities.gpu.vendor.nvidia.model.rtx4090.ram.24Gi',
    ]);
    expect(gpuNodeLabels(fixtureGpus('gtx1080_460.27.04_2gpu.xml')).node['akash.network/capabilities.gpu.vendor.nvidia.model.gtx1080']).toBe('2');
  });

  it('the plan note for a board-partner card no longer promises labels from RigLease', () => {
    const [g] = gpuNodeLabels(fixtureGpus('rtx4090_535.86.05_1gpu.xml')).perGpu;
    expect(g!.note).toContain(INVENTORY_LINKS.aibIssue);
    expect(g!.note).not.toMatch(/RigLease labels/);
  });
});

describe('what the user is told when the inventory does not list a GPU', () => {
  it('known model: the nvidia_drm check and its persistence, and the AIB issue only for a board-partner card', () => {
    const aib = notRecognisedAdvice({ name: 'NVIDIA GeForce RTX 4090', model: 'rtx4090', boardPartner: true });
    expect(aib).toContain('sudo modprobe nvidia_drm');
    expect(aib).toContain('/etc/modules-load.d/nvidia_drm.conf');
    expect(aib).toContain(INVENTORY_LINKS.aibIssue);
    const ref = notRecognisedAdvice({ name: 'Tesla T4', model: 't4', boardPartner: false });
    expect(ref).toContain('sudo modprobe nvidia_drm');
    expect(ref).not.toContain(INVENTORY_LINKS.aibIssue);
  });

  it('unknown model: ask provider-configs for it, no driver advice', () => {
    const t = notRecognisedAdvice({ name: 'GRID K520', model: null, boardPartner: false });
    expect(t).toContain(INVENTORY_LINKS.gpuList);
    expect(t).not.toContain('nvidia_drm');
  });
});

describe('the DRM devices Akash\'s inventory needs (parsed as ghw v0.19.1 reads /sys/class/drm)', () => {
  // The shape of `/sys/class/drm` links as a real `ls -l` shows them (gpustack/gpustack#212): a
  // card, and its connectors, which ghw skips.
  const probe = [
    'card0 ../../devices/pci0000:00/0000:00:01.0/drm/card0',
    'card0-Virtual-1 ../../devices/pci0000:00/0000:00:01.0/drm/card0/card0-Virtual-1',
    'card1 ../../devices/pci0000:80/0000:80:01.0/0000:84:00.0/drm/card1',
  ].join('\n');

  it('cards map to their PCI addresses; connectors are not cards', () => {
    expect(parseDrmProbe(0, probe)).toEqual({ exists: true, addresses: ['0000:00:01.0', '0000:84:00.0'] });
    expect(parseDrmProbe(0, '')).toEqual({ exists: true, addresses: [] });
    expect(parseDrmProbe(3, '')).toEqual({ exists: false, addresses: [] });
    expect(parseDrmProbe(126, '')).toBeNull();
  });

  it("nvidia-smi's bus id (real capture) is matched against sysfs's form", () => {
    const [g] = fixtureGpus('rtx4090_535.86.05_1gpu.xml');
    expect(g!.pciBusId).toBe('00000000:84:00.0');
    expect(sysfsPciAddress(g!.pciBusId!)).toBe('0000:84:00.0');
    expect(sysfsPciAddress('00010000:01:00.0')).toBe('10000:01:00.0');
    expect(sysfsPciAddress('nope')).toBeNull();
    const drm = parseDrmProbe(0, probe);
    expect(drmState('0000:84:00.0', drm)).toBe('present');
    expect(drmState('0000:01:00.0', drm)).toBe('absent');
    expect(drmState(null, drm)).toBe('unknown');
    expect(drmState('0000:01:00.0', { exists: false, addresses: [] })).toBe('absent');
    expect(drmState('0000:01:00.0', null)).toBe('unknown');
  });

  it('the advice names the missing DRM device, or says to wait / check the GPU list when it exists', () => {
    const g = { name: 'NVIDIA GeForce RTX 4090', model: 'rtx4090', boardPartner: true, pciBusId: '00000000:84:00.0' };
    expect(notRecognisedAdvice(g, { exists: false, addresses: [] })).toMatch(/may not see .*no \/sys\/class\/drm at all.*sudo modprobe nvidia_drm/);
    expect(notRecognisedAdvice(g, { exists: true, addresses: ['0000:00:01.0'] })).toMatch(/\/sys\/class\/drm has no card for 0000:84:00\.0/);
    const present = notRecognisedAdvice(g, parseDrmProbe(0, probe));
    expect(present).toMatch(/has a DRM device \(0000:84:00\.0\)/);
    expect(present).toContain(INVENTORY_LINKS.gpuList);
    expect(present).not.toContain('modprobe');
  });
});
