import type { FarmActionResult, FarmToken, FleetMachine } from '../../api/schemas/farm.js';
import type { HeartbeatRequest, MemberAvailabilityResponse, RegisterRequest } from '../../provider/farm/fleet-protocol.js';
import type { FarmDeps } from './farm-deps.js';
import { FarmNodes, type CommandOutcome } from './farm-nodes.js';
import { FarmTokenMaker } from './farm-token.js';
import { ControllerFleetBackend } from './fleet-backend.js';
import { fleetMachines } from './fleet-machines.js';
import type { FleetBackend } from './fleet-server.js';

export { firstPrivateIPv4 } from './farm-token.js';
export type { CommandOutcome } from './farm-nodes.js';

/**
 * The controller's half of the farm, one object for the service and the fleet listener. Each
 * part lives in its own file: join codes and the stack's farm exposure (`farm-token.ts`), the
 * fleet API backend (`fleet-backend.ts`), node intents and kubectl (`farm-nodes.ts`), the fleet
 * rows (`fleet-machines.ts`).
 */
export class FarmController implements FleetBackend {
  /** The port the fleet API really listens on (set by the service when it is open). */
  listeningPort: number | null = null;
  readonly nodes: FarmNodes;
  private readonly backend: ControllerFleetBackend;
  private readonly tokens: FarmTokenMaker;

  constructor(private readonly d: FarmDeps) {
    this.nodes = new FarmNodes(d);
    this.backend = new ControllerFleetBackend(d, this.nodes);
    this.tokens = new FarmTokenMaker(d, () => this.listeningPort);
  }

  token(validMinutes: number, opts: { recreate?: boolean } = {}): Promise<FarmToken> {
    return this.tokens.token(validMinutes, opts);
  }

  revokeToken(id: string): Promise<{ id: string; message: string }> {
    return this.tokens.revoke(id);
  }

  // ---- fleet API backend ----
  pairingValid(secret: string): Promise<boolean> {
    return this.backend.pairingValid(secret);
  }
  machineValid(machineId: string, key: string): Promise<boolean> {
    return this.backend.machineValid(machineId, key);
  }
  hello(): ReturnType<ControllerFleetBackend['hello']> {
    return this.backend.hello();
  }
  register(req: RegisterRequest, pairingSecret: string, from?: string): Promise<{ machineKey: string; serverTime: number; rejoined: boolean }> {
    return this.backend.register(req, pairingSecret, from);
  }
  heartbeat(req: HeartbeatRequest, from?: string): Promise<{ serverTime: number; intent: 'schedulable' | 'cordoned'; reason: string | null; applied: boolean }> {
    return this.backend.heartbeat(req, from);
  }
  memberAvailability(req: unknown): Promise<MemberAvailabilityResponse> {
    return this.backend.memberAvailability(req);
  }
  leave(req: { machineId: string }): Promise<{ left: boolean }> {
    return this.backend.leave(req);
  }

  // ---- pause / resume / offline / remove ----
  setManual(machine: string, pause: boolean): Promise<FarmActionResult> {
    return this.nodes.setManual(machine, pause);
  }
  offline(machine: string, confirm: boolean): Promise<FarmActionResult> {
    return this.nodes.offline(machine, confirm);
  }
  remove(machine: string, confirm: boolean): Promise<FarmActionResult> {
    return this.nodes.remove(machine, confirm);
  }
  applyIntent(machineId: string): Promise<CommandOutcome> {
    return this.nodes.applyIntent(machineId);
  }
  runKubectl(command: string[]): Promise<CommandOutcome> {
    return this.nodes.runKubectl(command);
  }
  leaseNodes(): Promise<{ outcome: CommandOutcome; byLease: Map<string, string[]> | null }> {
    return this.nodes.leaseNodes();
  }

  machines(): Promise<FleetMachine[]> {
    return fleetMachines(this.d);
  }
}
