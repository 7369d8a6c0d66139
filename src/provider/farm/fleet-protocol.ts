import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { FleetBench, FleetGpu } from '../../api/schemas/farm.js';
import { HostFenceSchema } from '../stack/egress.js';

/** The fleet API between a member and its controller (`/fleet/v1/*`, JSON over HTTP). */
export const FLEET_PATH = '/fleet/v1';

export const MachineId = z.string().regex(/^[a-z0-9]{8,64}$/);

export const RegisterRequest = z
  .object({
    machineId: MachineId,
    hostname: z.string().min(1).max(253),
    nodeName: z.string().min(1).max(63),
    k3sVersion: z.string().min(1).max(64),
    rigleaseVersion: z.string().max(64),
    gpus: z.array(FleetGpu).max(64),
    /** A machine the controller already knows must prove it is that machine with its current key; nobody else can take its place. */
    currentKey: z.string().min(16).max(256).optional(),
    /** The LAN address its k3s agent advertises (`--node-external-ip`); absent from older members. */
    advertisedAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
  })
  .strict();
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const RegisterResponse = z.object({
  /** The machine's own key for every later request; the pairing secret only registers. */
  machineKey: z.string().min(32),
  serverTime: z.number(),
  rejoined: z.boolean(),
});

export const HelloResponse = z.object({
  serverTime: z.number(),
  k3sVersion: z.string(),
  controller: z.string(),
  /** The controller's public-address fence, which members install too (null: no provider domain yet; absent from older controllers). */
  hostFence: HostFenceSchema.nullable().optional(),
});

export const HeartbeatRequest = z
  .object({
    machineId: MachineId,
    gpus: z.array(FleetGpu).max(64),
    availability: z.string().max(40).nullable(),
    /** When the machine's availability last changed (its own clock): an older word never overrides a newer one. */
    availabilitySince: z.string().max(40).nullable().optional(),
    agentContainer: z.enum(['running', 'stopped', 'missing', 'unknown']),
    bench: FleetBench.nullable().default(null),
    /** The LAN address its k3s agent advertises (`--node-external-ip`); absent from older members. */
    advertisedAddress: z.union([z.ipv4(), z.ipv6()]).optional(),
  })
  .strict();
export type HeartbeatRequest = z.input<typeof HeartbeatRequest>;

export const HeartbeatResponse = z.object({
  serverTime: z.number(),
  intent: z.enum(['schedulable', 'cordoned']),
  /** Why, and whether kubectl carried it out (absent from older controllers). */
  reason: z.string().nullable().optional(),
  applied: z.boolean().optional(),
  /** The machine's availability as the controller holds it (a heartbeat older than the latest switch does not change it). */
  availability: z.string().nullable().optional(),
});

export const LeaveRequest = z.object({ machineId: MachineId }).strict();

/**
 * A member's own availability switch (its tray, app or `riglease availability`), sent at once
 * rather than with the next heartbeat. `offline: 'ask'` only asks which leases draining its node
 * would end (nothing changes); `'confirm'` cordons and drains it.
 */
export const MemberAvailabilityRequest = z
  .object({
    machineId: MachineId,
    availability: z.string().max(40).nullable(),
    availabilitySince: z.string().max(40).nullable().optional(),
    offline: z.enum(['ask', 'confirm']).nullable().default(null),
  })
  .strict();
export type MemberAvailabilityRequest = z.input<typeof MemberAvailabilityRequest>;

const Outcome = z.object({ command: z.array(z.string()), applied: z.boolean(), note: z.string().nullable() });

/** What the controller made of it: the node's intent (and whether kubectl ran), or the drain's confirmation. */
export const MemberAvailabilityResponse = z.object({
  serverTime: z.number(),
  controller: z.string(),
  node: z.object({ name: z.string(), intent: z.enum(['schedulable', 'cordoned']), reason: z.string().nullable(), applied: z.boolean(), note: z.string().nullable() }),
  /** offline 'ask': the leases on this node (lease keys) and the words of the confirmation. */
  confirmation: z.object({ leases: z.array(z.string()), known: z.boolean(), message: z.string() }).nullable(),
  /** offline 'confirm': cordon and drain as they ran. */
  commands: z.array(Outcome),
});
export type MemberAvailabilityResponse = z.infer<typeof MemberAvailabilityResponse>;

/** 32 random bytes, URL-safe: pairing secrets and machine keys. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the controller keeps of a machine key: its hash, never the key. */
export function keyHash(key: string): string {
  return createHash('sha256').update(`riglease-fleet-key:${key}`).digest('hex');
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function secretMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || expected.length === 0) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Constant-time match of a presented key against a stored hash. */
export function keyMatchesHash(given: string | null | undefined, hash: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(Buffer.from(keyHash(given), 'hex'), Buffer.from(hash.padEnd(64, '0').slice(0, 64), 'hex'));
}

/** `Authorization: RigLease-Fleet <secret>`; anything else is no credential. */
export function presentedFleetSecret(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^RigLease-Fleet\s+([A-Za-z0-9_-]{16,256})\s*$/.exec(header);
  return m ? m[1]! : null;
}
