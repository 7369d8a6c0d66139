import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Handlers } from '../../api/dispatch.js';
import { RigError } from '../../api/errors.js';
import type { FarmJoinResult, FarmStatus, FarmToken, FleetGpu, FleetMachine } from '../../api/schemas/farm.js';
import { checkExpiry, decodeJoinCode, encodeJoinCode } from '../../provider/farm/join-code.js';
import { K3S_VERSION } from '../../provider/stack/images.js';
import type { SettingsStore } from '../../store/settings-store.js';
import type { HardwareService } from '../../hardware/index.js';
import type { TaskRegistry } from '../../core/task-registry.js';
import type { EventHub } from '../../core/event-hub.js';
import { farmAttributes, fleetGpuOf } from '../farm/farm-attributes.js';
import { DEMO_BANNER, demoRefusal } from './demo-handlers.js';

type DemoFleetMethods = 'farm.token' | 'farm.status' | 'farm.join' | 'farm.joinStart' | 'farm.revokeToken' | 'farm.pause' | 'farm.resume' | 'farm.offline' | 'farm.remove' | 'farm.pauseAll' | 'farm.resumeAll' | 'farm.leave';

/** The simulated home network's addresses (demo-network.ts): the controller is this rig, 192.168.1.50. */
const CONTROLLER_IP = '192.168.1.50';
const FLEET_PORT = 8442;
const JOIN_STEPS = ['Reading the join code…', 'Asking the controller…', 'Checking this machine…', 'Starting the k3s agent…', 'Registering with the controller…'];
const STEP_MS = 120;

interface OpenCode {
  id: string;
  /** SHA-256 of the pairing secret: the secret itself is only in the code the person holds. */
  secretHash: Buffer;
  expiresAt: number;
  used: boolean;
  revoked: boolean;
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * Demo mode's fleet: "Add a machine" makes this simulated rig the controller and hands out a
 * join code in the real format (provider/farm/join-code.ts), and entering that code on the join
 * path makes a simulated second machine join: the code is read and checked exactly as a member
 * checks it (format, checksum, expiry), and the controller accepts it only for the pairing secret
 * it issued, once, until it expires or is revoked. Only the machine that joins is simulated: it
 * brings a GPU like this rig's, which then shows in the fleet and its attributes. Nothing reaches
 * Docker, k3s or the network.
 */
/** What the demo's fleet uses: this rig's GPUs and provider profile, and the task registry for the join's progress. */
export interface DemoFleetDeps {
  hardware: Pick<HardwareService, 'last'>;
  settings: Pick<SettingsStore, 'all'>;
  tasks: Pick<TaskRegistry, 'start'>;
  /** farm.changed, as the real farm announces its writes: the Fleet screen asks for the fleet again only when told. */
  hub: Pick<EventHub, 'publish'>;
}

export function demoFleetHandlers(agent: DemoFleetDeps, now: () => number = Date.now): Pick<Handlers, DemoFleetMethods> {
  const codes: OpenCode[] = [];
  const members: FleetMachine[] = [];
  let controllerSince: string | null = null;
  let revision = 0;
  const changed = (): void => {
    revision += 1;
    agent.hub.publish('farm.changed', { revision, at: new Date(now()).toISOString(), reason: 'state' });
  };

  const ownGpus = (): FleetGpu[] => (agent.hardware.last()?.gpus ?? []).map((g) => fleetGpuOf(g, undefined));
  const self = (): FleetMachine => ({
    machineId: 'demo-rig',
    hostname: 'demo-rig',
    role: 'controller',
    nodeName: 'demo-rig',
    reachability: 'self',
    lastSeen: new Date(now()).toISOString(),
    joinedAt: controllerSince ?? new Date(now()).toISOString(),
    node: { intent: 'schedulable', reason: null, command: [], applied: true, note: 'Demo (simulated): no cluster to ask.' },
    availability: 'online',
    agentContainer: 'not-applicable',
    k3sVersion: K3S_VERSION,
    gpus: ownGpus(),
    bench: null,
  });
  const openCodes = () => codes.filter((c) => !c.used && !c.revoked && c.expiresAt * 1000 > now());

  const token = async ({ validMinutes }: { validMinutes: number }): Promise<FarmToken> => {
    controllerSince ??= new Date(now()).toISOString();
    const id = randomBytes(6).toString('hex').replace(/[^a-z0-9]/g, '').slice(0, 6).padEnd(6, '0');
    const pairingSecret = randomBytes(24).toString('base64url');
    const expiresAt = Math.floor(now() / 1000) + validMinutes * 60;
    const k3sUrl = `https://${CONTROLLER_IP}:6443`;
    const api = `https://${CONTROLLER_IP}:${FLEET_PORT}`;
    const code = encodeJoinCode({
      k3sUrl,
      // Shaped like a k3s bootstrap token (id.secret); there is no cluster behind it in the demo.
      k3sToken: `K10${randomBytes(32).toString('hex')}::${id}.${randomBytes(8).toString('hex')}`,
      api,
      apiFingerprint: randomBytes(32).toString('hex'),
      pairingSecret,
      expiresAt,
      k3sVersion: K3S_VERSION,
      controller: 'demo-rig',
    });
    codes.push({ id, secretHash: sha256(pairingSecret), expiresAt, used: false, revoked: false });
    changed();
    const ready = 'Demo (simulated): the provider stack is ready for more machines.';
    return {
      code,
      tokenId: id,
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      k3sUrl,
      api,
      notes: [`${DEMO_BANNER} Paste this code under "Join as a second machine" below: a simulated machine joins with it.`, ready],
      stack: { action: 'ready', message: ready, leases: [], leasesKnown: true, task: null },
    };
  };

  const join = async (code: string, step?: (n: number, text: string) => Promise<void>): Promise<FarmJoinResult> => {
    await step?.(1, JOIN_STEPS[0]!);
    // Exactly the member's own reading: format, checksum, version and what it carries.
    const payload = decodeJoinCode(code, null);
    await step?.(2, JOIN_STEPS[1]!);
    // The controller's clock decides expiry, as in a real farm.
    checkExpiry(payload, now());
    const hash = sha256(payload.pairingSecret);
    const issued = codes.find((c) => timingSafeEqual(c.secretHash, hash));
    if (!issued) throw new RigError('unauthorized', `The controller ${payload.controller} did not make this code (or no longer knows it).`, 'Make a new code with "Add a machine" and use it within the hour.');
    if (issued.revoked) throw new RigError('precondition_failed', `Join code ${issued.id} was revoked on the controller.`, 'Make a new code with "Add a machine".');
    if (issued.used) throw new RigError('precondition_failed', `Join code ${issued.id} was already used: each code lets one machine in, once.`, 'Make a new code with "Add a machine" for the next machine.');
    await step?.(3, JOIN_STEPS[2]!);
    await step?.(4, JOIN_STEPS[3]!);
    await step?.(5, JOIN_STEPS[4]!);
    issued.used = true;
    const n = members.length + 1;
    const name = `demo-member-${n}`;
    // The simulated machine brings a card like this rig's, with an identity of its own.
    const gpus = ownGpus().map((g) => ({ ...g, uuid: `GPU-${createHash('sha256').update(`${name}/${g.index}`).digest('hex').slice(0, 32)}` }));
    const at = new Date(now()).toISOString();
    members.push({
      machineId: name,
      hostname: name,
      role: 'agent',
      nodeName: name,
      reachability: 'online',
      lastSeen: at,
      joinedAt: at,
      node: { intent: 'schedulable', reason: null, command: [], applied: true, note: 'Demo (simulated): no cluster to ask.' },
      availability: 'online',
      agentContainer: 'running',
      k3sVersion: payload.k3sVersion,
      gpus,
      bench: null,
    });
    changed();
    return {
      machineId: name,
      nodeName: name,
      controller: payload.controller,
      changed: true,
      container: { name: 'riglease-k3s-agent (simulated)', id: 'simulated', started: true, specHash: 'simulated' },
      gpus,
      plannedSpec: {},
      notes: [`${DEMO_BANNER} ${name} is simulated: no container was started.`],
    };
  };

  // Cordons, drains and the farm-wide pause act on a cluster; the demo has none to act on.
  const refuse = (what: string) => async (): Promise<never> => {
    throw demoRefusal(what);
  };
  return {
    'farm.pause': refuse('Pausing one machine of the farm'),
    'farm.resume': refuse('Resuming one machine of the farm'),
    'farm.offline': refuse('Taking a machine offline'),
    'farm.remove': refuse('Removing a machine'),
    'farm.pauseAll': refuse('Pausing the whole farm'),
    'farm.resumeAll': refuse('Resuming the whole farm'),
    'farm.leave': refuse('Leaving a farm'),
    'farm.token': (input) => token(input),
    'farm.join': ({ code }) => join(code),
    'farm.joinStart': async ({ code }) =>
      agent.tasks.start('farm.join', JOIN_STEPS.length, async (p) =>
        join(code, async (n, text) => {
          p.step(n, `${text} (simulated)`);
          await new Promise((r) => setTimeout(r, STEP_MS));
        }),
      ),
    'farm.revokeToken': async ({ id }) => {
      const c = codes.find((x) => x.id === id && !x.used && !x.revoked);
      if (!c) throw new RigError('not_found', `No open join code ${id}.`, 'The codes still open are listed on the Fleet screen.');
      c.revoked = true;
      changed();
      return { id, message: `Join code ${id} revoked: it lets nobody in any more (simulated, demo mode).` };
    },
    'farm.status': async ({ offset, limit }): Promise<FarmStatus> => {
      if (controllerSince === null) {
        return { role: 'none', controller: null, machines: [], totals: { machines: 0, reachable: 0, gpus: 0 }, attributes: [], notes: ['This machine is not part of a farm. Make it the controller with "Add a machine".'] };
      }
      const machines = [self(), ...members];
      const profile = (await agent.settings.all()).chain.provider;
      const { attributes } = farmAttributes(agent.hardware.last(), profile, machines.flatMap((m) => m.gpus));
      const pageSize = limit ?? machines.length;
      return {
        role: 'controller',
        controller: null,
        machines: machines.slice(offset, offset + pageSize),
        page: { offset, limit: pageSize, total: machines.length },
        totals: { machines: machines.length, reachable: machines.length, gpus: machines.reduce((k, m) => k + m.gpus.length, 0) },
        attributes,
        notes: [`${DEMO_BANNER} ${members.length === 0 ? 'No machine has joined yet: make a code and join with it below.' : `${members.map((m) => m.hostname).join(', ')} joined with a code from this controller.`}`],
        codes: openCodes().map((c) => ({ id: c.id, expiresAt: new Date(c.expiresAt * 1000).toISOString() })),
      };
    },
  };
}
