import type { z } from 'zod';
import { ApiErrorShape, RigError } from '../../api/errors.js';
import { FLEET_PATH, HeartbeatResponse, HelloResponse, MemberAvailabilityResponse, RegisterResponse, type HeartbeatRequest, type MemberAvailabilityRequest, type RegisterRequest } from '../../provider/farm/fleet-protocol.js';
import { fetchPinnedCert, pinnedRequest, type PinnedResponse } from '../../provider/farm/pinned-https.js';
import { MACHINE_HEADER } from './fleet-server.js';

/** The controller's certificate once its pin was checked, per address and pin (a few at most). */
const pinnedCerts = new Map<string, string>();

const TIMEOUT_MS = 8_000;
/** A switch in the tray waits this long for the controller at most; the next heartbeat carries it anyway. */
const AVAILABILITY_TIMEOUT_MS = 4_000;

/**
 * A member's side of the fleet API: HTTPS to exactly the certificate whose fingerprint the join
 * code carried (pinned-https.ts). Every call has a deadline; failures say what to check.
 */
export class FleetClient {
  constructor(
    private readonly api: string,
    private readonly fingerprint: string | null,
  ) {}

  hello(secret: string, machineId?: string): Promise<z.infer<typeof HelloResponse>> {
    return this.call('GET', 'hello', secret, machineId, undefined, HelloResponse);
  }

  register(secret: string, body: RegisterRequest): Promise<z.infer<typeof RegisterResponse>> {
    return this.call('POST', 'register', secret, undefined, body, RegisterResponse);
  }

  heartbeat(key: string, body: HeartbeatRequest): Promise<z.infer<typeof HeartbeatResponse>> {
    return this.call('POST', 'heartbeat', key, body.machineId, body, HeartbeatResponse);
  }

  availability(key: string, body: MemberAvailabilityRequest): Promise<z.infer<typeof MemberAvailabilityResponse>> {
    // Draining (offline confirm) waits for kubectl drain on the controller, up to its own timeout;
    // asking which leases would end waits for the lease query and the chain.
    const timeout = body.offline === 'confirm' ? 240_000 : body.offline === 'ask' ? 30_000 : AVAILABILITY_TIMEOUT_MS;
    return this.call('POST', 'availability', key, body.machineId, body, MemberAvailabilityResponse, timeout);
  }

  leave(key: string, machineId: string): Promise<unknown> {
    return this.call('POST', 'leave', key, machineId, { machineId }, null);
  }

  private async call<S extends z.ZodType>(method: 'GET' | 'POST', route: string, secret: string, machineId: string | undefined, body: unknown, schema: S | null, timeoutMs = TIMEOUT_MS): Promise<z.infer<S>> {
    const url = new URL(`${this.api}${FLEET_PATH}/${route}`);
    if (url.protocol !== 'https:' || !this.fingerprint) {
      throw new RigError('precondition_failed', 'This machine joined its farm before the controller\'s fleet API used TLS, so it no longer talks to it.', 'Make a new code on the controller (`riglease farm token`) and join again (`riglease farm join`).');
    }
    let res: PinnedResponse;
    try {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const pinKey = `${url.host}#${this.fingerprint}`;
      const caPem = pinnedCerts.get(pinKey) ?? (await fetchPinnedCert(host, Number(url.port || 443), this.fingerprint, timeoutMs));
      if (pinnedCerts.size > 16) pinnedCerts.clear();
      pinnedCerts.set(pinKey, caPem);
      const headers: Record<string, string> = { Authorization: `RigLease-Fleet ${secret}`, ...(machineId ? { [MACHINE_HEADER]: machineId } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
      res = await pinnedRequest({ url, method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), caPem, fingerprint: this.fingerprint, timeoutMs });
    } catch (err) {
      // The wrong certificate: said as such, never as "unreachable" (and never as "removed").
      if (err instanceof RigError) throw err;
      const why = err instanceof Error && err.name === 'TimeoutError' ? `it did not answer within ${timeoutMs / 1000} s` : 'nothing answered';
      throw new RigError(
        'unavailable',
        `Cannot reach the farm controller at ${this.api}: ${why}.`,
        'Check that the controller is on and RigLease runs there (`riglease serve` or the app), that both machines are on the same network, and that its firewall lets the fleet port through.',
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      throw new RigError('unavailable', `${this.api} answered, but not as a RigLease controller (HTTP ${res.status}).`, 'Check the address in the join code: it should be the controller\'s RigLease fleet port.');
    }
    const env = json as { ok?: unknown; value?: unknown; error?: unknown };
    if (env.ok === true) return schema ? (schema.parse(env.value) as z.infer<S>) : (env.value as z.infer<S>);
    const shape = ApiErrorShape.safeParse(env.error);
    if (shape.success) throw RigError.fromShape(shape.data);
    throw new RigError('unavailable', `The controller answered HTTP ${res.status} without a reason.`);
  }
}
