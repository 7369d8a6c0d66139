import type { z } from 'zod';
import { ApiErrorShape, RigError } from '../../api/errors.js';
import { FLEET_PATH, HeartbeatResponse, HelloResponse, MemberAvailabilityResponse, RegisterResponse, type HeartbeatRequest, type MemberAvailabilityRequest, type RegisterRequest } from '../../provider/farm/fleet-protocol.js';
import { MACHINE_HEADER } from './fleet-server.js';

const TIMEOUT_MS = 8_000;
/** A switch in the tray waits this long for the controller at most; the next heartbeat carries it anyway. */
const AVAILABILITY_TIMEOUT_MS = 4_000;

/** A member's side of the fleet API. Every call has a deadline; failures say what to check. */
export class FleetClient {
  constructor(private readonly api: string) {}

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
    let res: Response;
    try {
      res = await fetch(`${this.api}${FLEET_PATH}/${route}`, {
        method,
        headers: {
          Authorization: `RigLease-Fleet ${secret}`,
          ...(machineId ? { [MACHINE_HEADER]: machineId } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const why = err instanceof Error && err.name === 'TimeoutError' ? `it did not answer within ${timeoutMs / 1000} s` : 'nothing answered';
      throw new RigError(
        'unavailable',
        `Cannot reach the farm controller at ${this.api}: ${why}.`,
        'Check that the controller is on and RigLease runs there (`riglease serve` or the app), that both machines are on the same network, and that its firewall lets the fleet port through.',
      );
    }
    let json: unknown;
    try {
      json = await res.json();
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
