import { describe, expect, it } from 'vitest';
import { drainWarning, LEASE_PODS_COMMAND, leaseKey, leasesPerNode, parseLeaseNodes } from './lease-nodes.js';

import { kubeList, OWNER } from '../../../test/farm/kube-list.js';

const key = (dseq: string) => leaseKey({ owner: OWNER, dseq, gseq: 1, oseq: 1 });

describe('where leases run (kubectl answer → lease → node)', () => {
  it('asks for the provider-labelled namespaces and pods in one call', () => {
    expect(LEASE_PODS_COMMAND).toEqual(['kubectl', 'get', 'namespaces,pods', '--all-namespaces', '-l', 'akash.network=true', '-o', 'json']);
  });

  it('places a lease by its namespace labels or its own pod labels; an unscheduled pod places nothing', () => {
    const m = parseLeaseNodes(kubeList([
      { ns: 'ns-a', dseq: '100', node: 'rl-m1' },
      { ns: 'ns-a', dseq: '100', node: 'rl-m2' },
      { ns: 'ns-b', dseq: '200', node: 'rl-m2', podLabels: true },
      { ns: 'ns-c', dseq: '300', node: null },
    ]));
    expect(m.get(key('100'))).toEqual(['rl-m1', 'rl-m2']);
    expect(m.get(key('200'))).toEqual(['rl-m2']);
    expect(m.has(key('300'))).toBe(false);
  });

  it('each machine\'s share is the sum of its leases\' accrued; a lease with no known node is not guessed', () => {
    const byLease = new Map([[key('1'), ['a']], [key('2'), ['b']], [key('3'), ['a', 'b']]]);
    const leases = [
      { key: key('1'), state: 'active', denom: 'uakt', accruedMicro: 600 },
      { key: key('2'), state: 'active', denom: 'uakt', accruedMicro: 200 },
      { key: key('3'), state: 'active', denom: 'uakt', accruedMicro: 100 },
      { key: key('4'), state: 'active', denom: 'uakt', accruedMicro: 100 },
    ];
    const { perNode, unplaced } = leasesPerNode(['a', 'b', 'c'], leases, byLease);
    expect(perNode.get('a')).toMatchObject({ known: true, accruedMicro: 650, sharePct: 65 });
    expect(perNode.get('b')).toMatchObject({ known: true, accruedMicro: 250, sharePct: 25 });
    expect(perNode.get('c')).toMatchObject({ known: true, leases: [], sharePct: 0 });
    expect(unplaced.map((l) => l.key)).toEqual([key('4')]);

    const unknown = leasesPerNode(['a', 'b'], leases, null);
    expect([...unknown.perNode.values()].every((m) => !m.known && m.leases.length === 0 && m.sharePct === null)).toBe(true);
    expect(unknown.unplaced).toHaveLength(4);
  });

  it('the drain confirmation lists the leases that end, none, or says all on the node could when unknown', () => {
    const byLease = new Map([[key('1'), ['rl-m1']], [key('2'), ['rl-m1']], [key('3'), ['rl-m2']]]);
    const w = drainWarning('m1', 'rl-m1', [], byLease, null);
    expect(w).toMatchObject({ known: true, leases: [key('1'), key('2')] });
    expect(w.message).toContain(key('1'));
    expect(w.message).not.toContain(key('3'));
    expect(drainWarning('m3', 'rl-m3', [], byLease, null).message).toMatch(/No lease runs on it/);
    const u = drainWarning('m1', 'rl-m1', [{ key: key('9'), state: 'active', denom: 'uakt', accruedMicro: 1 }], null, 'k3s could not be reached');
    expect(u.known).toBe(false);
    expect(u.message).toMatch(/every lease running on that node could end/);
    expect(u.message).toMatch(/1 active lease/);
  });
});
