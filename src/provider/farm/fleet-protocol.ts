import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { FleetBench, FleetGpu } from '../../api/schemas/farm.js';

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
  })
  .strict();
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const RegisterResponse = z.object({
  /** The machine's own key for every later request; the pairing secret only registers. */
  machineKey: z.string().min(32),
  serverTime: z.number(),
  rejoined: z.boolean(),
});

export const HelloResponse = z.object({ serverTime: z.number(), k3sVersion: z.string(), controller: z.string() });

export const HeartbeatRequest = z
  .object({
    machineId: MachineId,
    gpus: z.array(FleetGpu).max(64),
    availability: z.string().max(40).nullable(),
    agentContainer: z.enum(['running', 'stopped', 'missing', 'unknown']),
    bench: FleetBench.nullable().default(null),
  })
  .strict();
export type HeartbeatRequest = z.input<typeof HeartbeatRequest>;

export const HeartbeatResponse = z.object({ serverTime: z.number(), intent: z.enum(['schedulable', 'cordoned']) });

export const LeaveRequest = z.object({ machineId: MachineId }).strict();

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
