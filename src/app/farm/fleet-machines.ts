import type { FleetMachine } from '../../api/schemas/farm.js';
import { kubectlFor } from '../../provider/farm/kube-commands.js';
import { advertisedAddressWarning } from '../../provider/farm/advertised-address.js';
import { K3S_VERSION } from '../../provider/stack/images.js';
import { stackNames } from '../../provider/stack/names.js';
import type { FarmDeps } from './farm-deps.js';
import { machineNameOf } from './farm-deps.js';
import { firstPrivateIPv4 } from './farm-token.js';

/**
 * The fleet rows: the controller first, then every member (in joining order, ties by machine id,
 * so pages stay put while heartbeats rewrite the file) with reachability from its last heartbeat.
 */
export async function fleetMachines(d: FarmDeps): Promise<FleetMachine[]> {
  const st = await d.store.read();
  const s = await d.settings();
  const now = d.now();
  const selfNode = stackNames(s.stack.namePrefix).hostname;
  const self = st.controller?.selfIntent;
  const avail = await d.availability().catch(() => null);
  const rows: FleetMachine[] = [
    {
      machineId: st.machineId,
      hostname: machineNameOf(s, d.hostname()),
      role: 'controller',
      nodeName: selfNode,
      reachability: 'self',
      lastSeen: new Date(now).toISOString(),
      joinedAt: st.controller?.createdAt ?? new Date(now).toISOString(),
      node: self
        ? { intent: self.state, reason: self.reason, command: self.command, applied: self.applied, note: self.note }
        : { intent: 'schedulable', reason: null, command: kubectlFor('uncordon', selfNode), applied: false, note: null },
      availability: avail?.activity ?? null,
      agentContainer: 'not-applicable',
      k3sVersion: K3S_VERSION,
      gpus: await d.liveGpus().catch(() => []),
      bench: await d.latestBench().catch(() => null),
      // What the stack's k3s server advertises (stack-wiring's farm exposure): the setting, else the first private address.
      address: { advertised: s.farm.advertiseAddress || firstPrivateIPv4(), seenFrom: null, warning: null },
    },
  ];
  const members = [...(st.controller?.members ?? [])].sort((x, y) => x.joinedAt.localeCompare(y.joinedAt) || x.machineId.localeCompare(y.machineId));
  for (const m of members) {
    const seen = m.lastSeen ? Date.parse(m.lastSeen) : 0;
    rows.push({
      machineId: m.machineId,
      hostname: m.hostname,
      role: 'agent',
      nodeName: m.nodeName,
      reachability: now - seen <= s.farm.unreachableAfterSec * 1000 ? 'online' : 'unreachable',
      lastSeen: m.lastSeen,
      joinedAt: m.joinedAt,
      node: { intent: m.intent.state, reason: m.intent.reason, command: m.intent.command, applied: m.intent.applied, note: m.intent.note },
      availability: m.availability,
      agentContainer: m.agentContainer,
      k3sVersion: m.k3sVersion,
      gpus: m.gpus,
      bench: m.bench,
      address: { advertised: m.advertisedAddress, seenFrom: m.seenFrom, warning: advertisedAddressWarning(m.hostname, m.advertisedAddress, m.seenFrom) },
    });
  }
  return rows;
}
