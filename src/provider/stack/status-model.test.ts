import { describe, expect, it } from 'vitest';
import type { ComponentStatus } from '../../api/schemas/stack.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { gpuNodeLabels } from './gpu-labels.js';
import { chartComponent, gpuInventory, labelsToApply, overallOf, providerServiceComponent } from './status-model.js';

// Real captures: a Gigabyte-made RTX 4090 (board-partner sub-vendor) and two GTX 1080s.
const rtx4090 = gpuNodeLabels(fixtureGpus('rtx4090_535.86.05_1gpu.xml')).perGpu;
const twoGtx = gpuNodeLabels(fixtureGpus('gtx1080_460.27.04_2gpu.xml')).perGpu;
const MODEL_4090 = 'akash.network/capabilities.gpu.vendor.nvidia.model.rtx4090';

describe('GPU inventory vs the scan, per GPU', () => {
  it('a GPU the node does not list is reported missing, naming the labels, and they are planned for it', () => {
    const rows = gpuInventory(rtx4090, { 'akash.network': 'true' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'NVIDIA GeForce RTX 4090', state: 'missing' });
    expect(rows[0]!.detail).toContain(MODEL_4090);
    const todo = labelsToApply(rtx4090, { 'akash.network': 'true' });
    expect(todo.args).toEqual([`${MODEL_4090}=1`, `${MODEL_4090}.interface.PCIe=1`, `${MODEL_4090}.ram.24Gi=1`]);
    expect(todo.added).toEqual([{ name: 'NVIDIA GeForce RTX 4090', uuid: rtx4090[0]!.uuid, keys: Object.keys(rtx4090[0]!.labels) }]);
  });

  it('once labelled, the GPU is listed, and a board-partner card says where the labels came from', () => {
    const labels = Object.fromEntries(labelsToApply(rtx4090, {}).args.map((a) => a.split('=') as [string, string]));
    const rows = gpuInventory(rtx4090, labels);
    expect(rows[0]!.state).toBe('labelled');
    expect(rows[0]!.detail).toMatch(/board-partner.*RigLease's own scan/);
    expect(labelsToApply(rtx4090, labels)).toEqual({ args: [], added: [] });
  });

  it('counts GPUs of one model, and fixes a count the inventory got wrong without touching the rest', () => {
    const full = labelsToApply(twoGtx, {});
    expect(full.args).toContain('akash.network/capabilities.gpu.vendor.nvidia.model.gtx1080=2');
    // The inventory saw only one of the two cards.
    const seen = Object.fromEntries(full.args.map((a) => a.split('=') as [string, string]));
    seen['akash.network/capabilities.gpu.vendor.nvidia.model.gtx1080'] = '1';
    const fix = labelsToApply(twoGtx, seen);
    expect(fix.args).toEqual(['akash.network/capabilities.gpu.vendor.nvidia.model.gtx1080=2']);
    expect(fix.added.map((g) => g.keys)).toEqual([['akash.network/capabilities.gpu.vendor.nvidia.model.gtx1080'], ['akash.network/capabilities.gpu.vendor.nvidia.model.gtx1080']]);
  });
});

describe('component rows', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it('a chart is pending, installing, ready (with age) or failed with the job\'s own reason', () => {
    expect(chartComponent('ingress-nginx', undefined, now)).toMatchObject({ state: 'pending', whyNotReady: expect.stringContaining('not started') });
    expect(chartComponent('ingress-nginx', { status: { active: 1, startTime: '2026-11-30T11:59:00Z' } }, now)).toMatchObject({ state: 'pending', ageSec: 60 });
    expect(chartComponent('ingress-nginx', { status: { succeeded: 1, completionTime: '2026-11-30T11:00:00Z' } }, now)).toMatchObject({ state: 'ready', ageSec: 3600, whyNotReady: null });
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
    expect(overallOf([row('container', 'running'), row('k3s-api', 'ready'), row('ingress-nginx', 'ready')])).toBe('running');
    expect(overallOf([row('container', 'running'), row('k3s-api', 'ready'), row('akash-provider', 'failed')])).toBe('degraded');
  });
});
