import { randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FleetBench, FleetGpu } from '../../api/schemas/farm.js';
import { HostFenceSchema } from '../../provider/stack/host-fence.js';
import { VersionedJsonFile } from '../../store/json-file.js';

const Intent = z.object({
  /** Paused from the fleet view (`farm pause`). */
  manual: z.boolean(),
  /** What the node should be, all reasons together. */
  state: z.enum(['schedulable', 'cordoned']),
  reason: z.string().nullable(),
  command: z.array(z.string()),
  applied: z.boolean(),
  note: z.string().nullable(),
});

export const MemberRecord = z.object({
  machineId: z.string(),
  hostname: z.string(),
  nodeName: z.string(),
  k3sVersion: z.string(),
  rigleaseVersion: z.string(),
  joinedAt: z.string(),
  lastSeen: z.string().nullable(),
  /** sha256 of the machine's key; the key itself exists only on that machine. */
  keyHash: z.string(),
  /**
   * The key before a re-registration (join again, or after a reboot), still accepted until
   * `previousKeyUntil` (epoch ms): a heartbeat already on its way with the old key must not read
   * as "removed from the farm" (which makes the machine leave).
   */
  previousKeyHash: z.string().nullable().default(null),
  previousKeyUntil: z.number().nullable().default(null),
  gpus: z.array(FleetGpu),
  availability: z.string().nullable(),
  /** When the machine says its availability last changed (its clock), so a late heartbeat cannot undo a newer switch. */
  availabilitySince: z.string().nullable().default(null),
  agentContainer: z.enum(['running', 'stopped', 'missing', 'unknown']),
  bench: FleetBench.nullable().default(null),
  intent: Intent,
  /** The LAN address the machine's k3s advertises (`--node-external-ip`), as it last said. */
  advertisedAddress: z.string().nullable().default(null),
  /** The address its last request to the fleet API came from. */
  seenFrom: z.string().nullable().default(null),
});
export type MemberRecord = z.infer<typeof MemberRecord>;

/**
 * A join code's pairing secret, kept as a hash with its expiry (the secret itself is in the
 * SecretStore). A code registers one machine, once: then it is spent (`usedAt`), so a code copied
 * from a chat or a screenshot later lets nobody in.
 */
const Pairing = z.object({
  hash: z.string(),
  expiresAt: z.number(),
  usedAt: z.string().nullable().default(null),
  usedBy: z.string().nullable().default(null),
  /** The id of the code's k3s bootstrap token (bootstrap-token.ts), to revoke it. */
  k3sTokenId: z.string().nullable().default(null),
});

export const FarmState = z.object({
  /** This machine's id in any farm, made once. */
  machineId: z.string(),
  role: z.enum(['none', 'controller', 'member']),
  controller: z
    .object({
      createdAt: z.string(),
      pairings: z.array(Pairing),
      members: z.array(MemberRecord),
      /** The controller's own node: paused from the fleet view, or (with members) by its own availability. */
      selfIntent: Intent.nullable(),
      /**
       * The controller machine's own availability as it last said (gaming, paused…: `bidding`
       * false). With members it cordons only this machine's node; without, it pauses the bid table.
       */
      ownAvailability: z.object({ bidding: z.boolean(), reason: z.string() }).nullable().optional(),
      /** The whole farm paused (`riglease farm pause --all`, Fleet → Pause the whole farm): the bid table's paused flag. */
      farmPause: z.object({ reason: z.string(), since: z.string() }).nullable().optional(),
    })
    .nullable(),
  member: z
    .object({
      api: z.string(),
      controller: z.string(),
      k3sUrl: z.string(),
      nodeName: z.string(),
      joinedAt: z.string(),
      lastHeartbeat: z.string().nullable(),
      lastError: z.string().nullable(),
      intent: z.enum(['schedulable', 'cordoned']),
      /** The controller's last word on this node (absent from older files). */
      intentReason: z.string().nullable().default(null),
      intentApplied: z.boolean().default(false),
      /** The availability the controller last acknowledged (heartbeat or the switch itself). */
      toldAvailability: z.string().nullable().default(null),
      /**
       * The controller refused this machine's key (removed from the farm, or its records lost).
       * Nothing is removed on that word alone: the person decides (`riglease farm leave --yes`).
       */
      refused: z.object({ since: z.string(), message: z.string() }).nullable().default(null),
      /** The fleet API certificate's fingerprint from the join code: the only certificate this member trusts (null: joined before TLS). */
      apiFingerprint: z.string().nullable().default(null),
      /** The controller's public-address fence from its hello, kept for re-creating the agent (null: none, or joined before it was sent). */
      hostFence: HostFenceSchema.nullable().optional(),
      /** The LAN address this machine's k3s agent advertises (`--node-external-ip`), told to the controller with every heartbeat. */
      advertisedAddress: z.string().nullable().default(null),
    })
    .nullable(),
});
export type FarmState = z.infer<typeof FarmState>;

/** The join codes that still let a machine in (not used, not expired, not revoked): the Fleet screen lists them to revoke. */
export function openJoinCodes(st: FarmState, nowS: number): { id: string; expiresAt: string }[] {
  return (st.controller?.pairings ?? []).filter((p) => p.k3sTokenId !== null && p.usedAt === null && p.expiresAt > nowS).map((p) => ({ id: p.k3sTokenId!, expiresAt: new Date(p.expiresAt * 1000).toISOString() }));
}

export const SECRET_PAIRING = 'farm.pairing-secret';
export const SECRET_MACHINE_KEY = 'farm.machine-key';
export const SECRET_K3S_TOKEN = 'farm.k3s-token';

/**
 * `<stateDir>/farm.json`: the farm's non-secret state, read fresh for every change, because the
 * CLI (one process per command) and the daemon both change it. Changes in one process are
 * serialised; each is a read-modify-write of a small file written atomically.
 */
export class FarmStateStore {
  private readonly file: VersionedJsonFile<typeof FarmState>;
  private readonly dir: string;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(s: FarmState) => void>();

  constructor(stateDir: string, onCorrupt?: (file: string, keptAs: string, reason: string) => void) {
    this.dir = stateDir;
    this.file = new VersionedJsonFile({ file: path.join(stateDir, 'farm.json'), schema: FarmState, version: 1, ...(onCorrupt ? { onCorrupt } : {}) });
  }

  read(): Promise<FarmState> {
    return this.file.read(() => ({ machineId: randomBytes(8).toString('hex'), role: 'none', controller: null, member: null }));
  }

  /** Read, change, write, one at a time in this process. `change` may throw to abort without writing. */
  update<T>(change: (s: FarmState) => T | Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      const s = await this.read();
      const out = await change(s);
      await this.file.write(s);
      for (const l of [...this.listeners]) {
        try {
          l(s);
        } catch {
          // A listener's failure is its own: the write happened.
        }
      }
      return out;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Called when farm.json may have changed, by any process (the CLI joins or pauses while the app
   * runs): a hint from the OS's file watch, which keeps no timer and never holds the process
   * open. Where watching is not possible it returns a no-op; callers keep their own slow check.
   */
  watchFile(onChange: () => void): () => void {
    try {
      // The file is replaced by a rename (atomic write): the directory is watched, not the file.
      const w = watch(this.dir, { persistent: false }, (_event, name) => {
        if (name === null || String(name) === 'farm.json') onChange();
      });
      w.on('error', () => w.close());
      return () => w.close();
    } catch {
      return () => undefined;
    }
  }

  /** Called after every write by this process, with what was written; returns the unsubscribe. */
  onWrite(listener: (s: FarmState) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
