import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RigError } from '../../api/errors.js';

/**
 * The farm join code: everything a new machine needs to join the controller's cluster, in one
 * copyable string `RLJ<version>.<base64url JSON>.<8 hex checksum>` (no spaces, no characters a
 * terminal or chat app would mangle). It carries two secrets (the k3s join token and the
 * pairing secret), so it is redacted wherever it appears (util/secret-patterns.ts).
 */
export const JOIN_CODE_VERSION = 1;
const PREFIX = 'RLJ';

export const JoinPayload = z
  .object({
    /** The k3s server the agent joins: `https://host:6443`. */
    k3sUrl: z.url({ protocol: /^https$/ }),
    /** k3s join token (K10…::server:… or the short secret form). */
    k3sToken: z.string().min(8).max(512),
    /** The controller's fleet API: `https://host:port` (TLS only: the pairing secret and keys travel on it). */
    api: z.url({ protocol: /^https$/ }),
    /** SHA-256 of the fleet API's self-signed certificate: the joining machine trusts exactly that one. */
    apiFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    /** Lets a machine register once; the controller then hands it a key of its own. */
    pairingSecret: z.string().min(16).max(256),
    /** Unix seconds after which the controller refuses the code. */
    expiresAt: z.number().int().positive(),
    /** The k3s version the controller's server runs; an agent must match it. */
    k3sVersion: z.string().min(1).max(64),
    /** The controller's host name, shown to the person joining. */
    controller: z.string().min(1).max(253),
  })
  .strict();
export type JoinPayload = z.infer<typeof JoinPayload>;

const FIX_COPY = 'Copy the whole code again from the controller (Fleet → Add a machine, or `riglease farm token`).';

function checksum(versionAndBody: string): string {
  return createHash('sha256').update(versionAndBody).digest('hex').slice(0, 8);
}

export function encodeJoinCode(payload: JoinPayload): string {
  const valid = JoinPayload.parse(payload);
  const body = Buffer.from(JSON.stringify(valid), 'utf8').toString('base64url');
  const head = `${PREFIX}${JOIN_CODE_VERSION}.${body}`;
  return `${head}.${checksum(head)}`;
}

/**
 * Reads a join code as a person pasted it (surrounding quotes, spaces and line breaks are
 * ignored). Every way it can be wrong is a RigError saying what to do. `now` (unix ms) checks
 * the expiry too; the joining side passes null and checks it against the controller's clock
 * (`checkExpiry`), because its own clock may be the thing that is wrong.
 */
export function decodeJoinCode(input: string, now: number | null): JoinPayload {
  const code = input.replace(/[\s"'`]/g, '');
  if (code === '') throw new RigError('invalid_input', 'No join code was given.', FIX_COPY);
  const m = /^RLJ(\d{1,3})\.([A-Za-z0-9_-]+)\.([0-9a-fA-F]{8})$/.exec(code);
  if (!m) {
    if (!code.toUpperCase().startsWith(PREFIX)) {
      throw new RigError('invalid_input', 'That is not a RigLease join code (it should start with RLJ1.).', FIX_COPY);
    }
    throw new RigError('invalid_input', 'The join code is incomplete or has extra characters in it.', FIX_COPY);
  }
  const version = Number(m[1]);
  if (version !== JOIN_CODE_VERSION) {
    throw new RigError(
      'precondition_failed',
      version > JOIN_CODE_VERSION
        ? `This join code was made by a newer RigLease (code format ${version}; this machine reads ${JOIN_CODE_VERSION}).`
        : `This join code has an old format (${version}) that this RigLease no longer reads.`,
      'Install the same RigLease version on both machines, then make a new code on the controller.',
    );
  }
  if (checksum(`${PREFIX}${m[1]}.${m[2]}`) !== m[3]!.toLowerCase()) {
    throw new RigError('invalid_input', 'The join code is damaged: a character is missing or was changed while copying.', FIX_COPY);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(m[2]!, 'base64url').toString('utf8'));
  } catch {
    throw new RigError('invalid_input', 'The join code is damaged: its content cannot be read.', FIX_COPY);
  }
  const parsed = JoinPayload.safeParse(json);
  if (!parsed.success) throw new RigError('invalid_input', 'The join code is damaged: it lacks some of what a machine needs to join.', FIX_COPY);
  if (now !== null) checkExpiry(parsed.data, now);
  return parsed.data;
}

export function checkExpiry(payload: JoinPayload, now: number): void {
  if (payload.expiresAt * 1000 <= now) {
    throw new RigError(
      'precondition_failed',
      `This join code expired at ${new Date(payload.expiresAt * 1000).toISOString()}.`,
      'Make a new one on the controller (Fleet → Add a machine, or `riglease farm token`). Codes last one hour by default.',
    );
  }
}
