import { describe, expect, it } from 'vitest';
import type { ComponentStatus } from '../../api/schemas/stack.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { INVENTORY_LINKS, gpuNodeLabels } from './gpu-labels.js';
import { chartComponent, gpuInventory, overallOf, providerServiceComponent } from './status-model.js';

// Real captures: a Gigabyte-made RTX 4090 (board-partner sub-vendor) and two GTX 1080s.
const rtx4090 = gpuNodeLabels(fixtureGpus('rtx4090_535.86.05_1gpu.xml')).perGpu;
const twoGtx = gpuNodeLabels(fixtureGpus('gtx1080_460.27.04_2gpu.xml')).perGpu;
const MODEL_4090 = 'akash.network/capabilities.gpu.vendor.nvidia.model.rtx4090';

describe('GPU inventory vs the scan, per GPU (read only)', () => {
  const ONE_4090 = { [MODEL_4090]: '1', [`${MODEL_4090}.ram.24Gi`]: '1', [`${MODEL_4090}.interface.PCIe`]: '1' };

  it('a GPU the operator did not label is missing, with the cause to check, the issue links and why RigLease does not label it', () => {
    const rows = gpuInventory(rtx4090, { 'akash.network': 'true' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'NVIDIA GeForce RTX 4090', state: 'missing' });
    const d = rows[0]!.detail;
    expect(d).toContain(INVENTORY_LINKS.aibIssue); // board-partner card (Gigabyte sub-vendor in the capture)
    expect(d).toContain('sudo modprobe nvidia_drm');
    expect(d).toContain(INVENTORY_LINKS.drmIssue);
    expect(d).toMatch(/does not label the node itself/);
  });

  it('labelled by the operator = recognised; a board-partner card says it was identified by its NVIDIA device id', () => {
    const rows = gpuInventory(rtx4090, { 'akash.network': 'true', ...ONE_4090 });
    expect(rows[0]!.state).toBe('labelled');
    expect(rows[0]!.detail).toMatch(/Recognised.*board-partner/);
  });

  it('two cards of a model need a count of 2: with 1, the second is missing and the first listed', () => {
    const GTX = 'akash.network/capabilities.gpu.vendor.nvidia.model.gtx1080';
    const labels = (n: string) => ({ [GTX]: n, [`${GTX}.ram.8Gi`]: n, [`${GTX}.interface.PCIe`]: n });
    expect(gpuInventory(twoGtx, labels('2')).map((r) => r.state)).toEqual(['labelled', 'labelled']);
    expect(gpuInventory(twoGtx, labels('1')).map((r) => r.state)).toEqual(['labelled', 'missing']);
  });

  it('a GPU not in Akash\'s list says to ask for it in provider-configs', () => {
    const rows = gpuInventory(gpuNodeLabels(fixtureGpus('gridk520_352.99_1gpu.xml')).perGpu, ONE_4090);
    expect(rows[0]!.state).toBe('missing');
    expect(rows[0]!.detail).toContain(INVENTORY_LINKS.gpuList);
    expect(rows[0]!.detail).toMatch(/not in Akash's GPU list/);
  });
});

describe('component rows', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it('a chart is pending, installing, ready (with age) or failed with the job\'s own reason', () => {
    expect(chartComponent('nginx-gateway-fabric', undefined, now)).toMatchObject({ state: 'pending', whyNotReady: expect.stringContaining('not started') });
    expect(chartComponent('nginx-gateway-fabric', { status: { active: 1, startTime: '2026-11-30T11:59:00Z' } }, now)).toMatchObject({ state: 'pending', ageSec: 60 });
    expect(chartComponent('nginx-gateway-fabric', { status: { succeeded: 1, completionTime: '2026-11-30T11:00:00Z' } }, now)).toMatchObject({ state: 'ready', ageSec: 3600, whyNotReady: null });
    expect(chartComponent('akash-provider', { status: { failed: 1, conditions: [{ type: 'Failed', message: 'BackoffLimitExceeded' }] } }, now)).toMatchObject({ state: 'failed', whyNotReady: 'BackoffLimitExceeded' });
  });

  it('the provider service is ready only with its pod ready', () => {
    expect(providerServiceComponent(null, now).state).toBe('pending');
    expect(providerServiceComponent({ spec: { replicas: 1 }, status: { readyReplicas: 0 } }, now)).toMatchObject({ state: 'pending', detail: '0 of 1 provider pod(s) ready' });
    expect(providerServiceComponent({ spec: { replicas: 1 }, status: { readyReplicas: 1 }, metadata: { creationTimestamp: '2026-11-30T11:58:00Z' } }, now)).toMatchObject({ state: 'ready', ageSec: 120 });
  });

  it('overall follows the rows', () => {
    const row = (name: string, state: ComponentStatus['state']): ComponentStatus => ({ name, state, since: null, ageSec: null, detail: '', whyNotReady: null });
    expect(overallOf([row('container', 'missing')])).toBe('not_installed');
    expect(overallOf([row('container', 'stopped'), row('k3s-api', 'stopped')])).toBe('stopped');
    expect(overallOf([row('container', 'running'), row('k3s-api', 'unknown')])).toBe('starting');
    expect(overallOf([row('container', 'running'), row('k3s-api', 'ready'), row('nginx-gateway-fabric', 'ready')])).toBe('running');
    expect(overallOf([row('container', 'running'), row('k3s-api', 'ready'), row('akash-provider', 'failed')])).toBe('degraded');
  });
});
