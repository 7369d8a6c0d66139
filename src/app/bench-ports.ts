import type { PortMapResult, PortsStatus } from '../api/schemas/bench.js';
import type { Settings } from '../api/schemas/settings.js';
import type { BenchHistoryFile } from '../hardware/bench/history.js';
import { natPmpExternalAddress, natPmpMapTcp } from '../hardware/bench/nat-pmp.js';
import { classifyIPv4, localNetwork, type LocalNetwork } from '../hardware/bench/network-info.js';
import { PROVIDER_PORTS, portAdvice } from '../hardware/bench/network-bench.js';
import { findIgd, upnpErrorText, upnpExternalAddress, upnpMapTcp, upnpUnmapTcp } from '../hardware/bench/upnp-igd.js';
import type { Logger } from '../util/logger.js';
import { HeldPortMapsFile, type HeldPortMaps } from './bench-port-state.js';

export interface PortMapperDeps {
  settings: () => Promise<Settings>;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Where the granted mappings are remembered (`port-mappings.json`), so another process can remove them. */
  stateDir: string;
  history: BenchHistoryFile;
  logger: Logger;
}

/**
 * The default interface and the router. `RIGLEASE_NAT_PMP_GATEWAY=<ip>[:port]` points NAT-PMP at
 * another gateway (a test router on loopback), like every outside dependency (STYLE.md §9).
 */
export async function benchNetwork(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<{ local: LocalNetwork; natPmpPort: number | undefined }> {
  const local = await localNetwork(platform);
  const override = env['RIGLEASE_NAT_PMP_GATEWAY']?.trim();
  if (!override) return { local, natPmpPort: undefined };
  const [host, port] = override.split(':');
  return { local: { ...local, gateway: host ?? null }, natPmpPort: port ? Number(port) : undefined };
}

/** The host port the stack publishes each provider port on (stack.ports). */
export function hostPorts(settings: Settings): Record<number, number> {
  return { 80: settings.stack.ports.http, 443: settings.stack.ports.https, 8443: settings.stack.ports.gateway, 8444: settings.stack.ports.grpc };
}

const NOTHING_HELD = 'Nothing to remove: RigLease holds no router mappings (none were asked for, or they were removed). Rules made by hand stay in the router\u2019s settings.';

/**
 * "Ask the router": forwards 80, 443, 8443 and 8444 to the host ports the stack publishes them on,
 * NAT-PMP first, then UPnP IGD. Granted mappings are renewed at half their lifetime while this
 * process runs, and remembered in a file so `unmapPorts` works from any later process.
 */
export class PortMapper {
  private readonly held: HeldPortMapsFile;
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: PortMapperDeps) {
    this.held = new HeldPortMapsFile(deps.stateDir);
  }

  async mapPorts(lifetimeSec: number, signal?: AbortSignal): Promise<PortMapResult> {
    this.stop();
    const { result, held } = await this.requestMappings(lifetimeSec, signal);
    if (!held) return result;
    await this.held.write(held);
    const lifetimes = held.ports.map((p) => p.lifetimeSec).filter((l) => l > 0);
    if (lifetimes.length === 0) return result;
    const delayMs = (Math.min(...lifetimes) * 1000) / 2;
    this.renewTimer = setTimeout(() => {
      this.renewTimer = undefined;
      void this.renew(lifetimeSec);
    }, delayMs);
    this.renewTimer.unref();
    return { ...result, renewsAt: new Date(Date.now() + delayMs).toISOString() };
  }

  /** Asks again, unless another process (`riglease ports unmap`) removed the mappings meanwhile. */
  private async renew(lifetimeSec: number): Promise<void> {
    if (!(await this.held.read())) {
      this.deps.logger.info('bench.ports.not_renewed', { why: 'the mappings were removed by another RigLease process' });
      return;
    }
    await this.mapPorts(lifetimeSec).then(
      (r) => this.deps.logger.info('bench.ports.renewed', { method: r.method, mapped: r.mappings.filter((m) => m.ok).length }),
      (err: unknown) => this.deps.logger.warn('bench.ports.renew_failed', { error: (err as Error).message }),
    );
  }

  /** Removes the mappings RigLease holds (made by this process or an earlier one) and stops renewing them. */
  async unmapPorts(signal?: AbortSignal): Promise<PortMapResult> {
    this.stop();
    const held = await this.held.read();
    if (!held) return { gateway: null, method: null, externalAddress: null, attempts: [], renewsAt: null, mappings: [], advice: [NOTHING_HELD] };
    const mappings: PortMapResult['mappings'] = [];
    for (const p of held.ports) {
      let ok: boolean;
      let detail: string;
      if (held.kind === 'nat-pmp') {
        // RFC 6886 §3.4: lifetime 0 and outside port 0 delete the mapping for this inside port.
        const m = await natPmpMapTcp({ ...held.natPmp, ...(signal ? { signal } : {}) }, p.internalPort, 0, 0);
        ok = m.ok;
        detail = m.message;
      } else {
        const r = await upnpUnmapTcp(held.service, p.externalPort, signal);
        ok = r.ok || r.code === 714; // 714 NoSuchEntryInArray: it is already gone
        detail = r.ok ? '' : upnpErrorText(r.code, r.description);
      }
      mappings.push({ port: p.port, internalPort: p.internalPort, ok, externalPort: null, lifetimeSec: null, message: ok ? `Removed: the router no longer forwards outside TCP ${p.externalPort}.` : `Not removed: ${detail}` });
    }
    await this.held.clear();
    const advice = mappings.some((m) => !m.ok) ? ['Remove the mappings the router kept by hand ("port forwarding" or "UPnP" in its settings).'] : [];
    return { gateway: held.gateway, method: held.kind, externalAddress: null, attempts: [], renewsAt: null, mappings, advice };
  }

  /** What is known without asking anyone: this machine's network, the mappings held, and the last outside check. */
  async status(): Promise<PortsStatus> {
    const settings = await this.deps.settings();
    const { local } = await benchNetwork(this.deps.env, this.deps.platform);
    const kind = classifyIPv4(local.localAddress);
    const held = await this.held.read();
    const now = Date.now();
    const last = (await this.deps.history.read(50)).find((r) => r.ports !== null) ?? null;
    const hp = hostPorts(settings);
    const allOpen = last?.ports?.tested === true && last.ports.ports.every((p) => p.state === 'open');
    const advice = allOpen ? [] : portAdvice(kind, local.localAddress, hp);
    if (!last) advice.unshift('Reachability from outside has not been checked yet: run `riglease bench ports` (needs bench.network.portProbeUrl, e.g. a `riglease probe-server` someone runs for you).');
    return {
      local: { interfaceName: local.interfaceName, localAddress: local.localAddress, localKind: kind, gateway: local.gateway },
      held: held
        ? {
            method: held.kind,
            gateway: held.gateway,
            at: held.at,
            renewing: this.renewTimer !== undefined,
            mappings: held.ports.map((p) => {
              const expiresAt = p.lifetimeSec > 0 ? Date.parse(held.at) + p.lifetimeSec * 1000 : null;
              return { ...p, expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(), expired: expiresAt !== null && expiresAt < now };
            }),
          }
        : null,
      lastCheck: last?.ports ? { at: last.at, ports: last.ports } : null,
      advice,
    };
  }

  /** Stops renewing (on quit, or before a new request). The router keeps what it granted until it expires. */
  stop(): void {
    clearTimeout(this.renewTimer);
    this.renewTimer = undefined;
  }

  /** Where UPnP discovery goes: `RIGLEASE_UPNP_SSDP=<ip>[:port]` (a loopback stand-in IGD) or the SSDP multicast group. */
  private ssdpTarget(): { address?: string; port?: number } {
    const override = this.deps.env['RIGLEASE_UPNP_SSDP']?.trim();
    if (!override) return {};
    const [address, port] = override.split(':');
    return { ...(address ? { address } : {}), ...(port ? { port: Number(port) } : {}) };
  }

  private async requestMappings(lifetimeSec: number, signal?: AbortSignal): Promise<{ result: PortMapResult; held: HeldPortMaps | null }> {
    const settings = await this.deps.settings();
    const { local, natPmpPort } = await benchNetwork(this.deps.env, this.deps.platform);
    const hostPort = hostPorts(settings);
    const wanted = PROVIDER_PORTS.map(({ port }) => ({ port, internalPort: hostPort[port] ?? port }));
    const attempts: string[] = [];
    const at = new Date().toISOString();
    let failed: PortMapResult['mappings'] = [];

    // 1. NAT-PMP (RFC 6886): one UDP exchange per port with the default gateway.
    if (local.gateway) {
      const natPmp = { gateway: local.gateway, ...(natPmpPort ? { port: natPmpPort } : {}) };
      const mappings: PortMapResult['mappings'] = [];
      for (const w of wanted) {
        const m = await natPmpMapTcp({ ...natPmp, ...(signal ? { signal } : {}) }, w.internalPort, w.port, lifetimeSec);
        mappings.push({ ...w, ...m });
        // A router that does not answer the first port will not answer the others: do not wait 4 times.
        if (!m.ok && mappings.length === 1 && /did not answer/.test(m.message)) break;
      }
      if (mappings.some((m) => m.ok)) {
        const outside = await natPmpExternalAddress({ ...natPmp, tries: 2, ...(signal ? { signal } : {}) });
        attempts.push(`NAT-PMP: the router at ${local.gateway} answered.`);
        const held: HeldPortMaps = { kind: 'nat-pmp', gateway: local.gateway, natPmp, at, ports: mappings.filter((m) => m.ok).map((m) => ({ port: m.port, internalPort: m.internalPort, externalPort: m.externalPort ?? m.port, lifetimeSec: m.lifetimeSec ?? lifetimeSec })) };
        return { result: portMapResult(local, 'nat-pmp', outside.externalAddress, attempts, mappings, lifetimeSec, wanted), held };
      }
      attempts.push(`NAT-PMP: ${mappings[0]?.message ?? 'no answer'}`);
      failed = mappings;
    } else {
      attempts.push('NAT-PMP: the router\u2019s address is not known here.');
    }
    if (signal?.aborted) return { result: portMapResult(local, null, null, attempts, failed, lifetimeSec, wanted), held: null };

    // 2. UPnP IGD: SSDP discovery, the device description, then SOAP AddPortMapping per port.
    const found = await findIgd({ ...this.ssdpTarget(), timeoutMs: 2500, ...(signal ? { signal } : {}) });
    if (!found.ok) {
      attempts.push(`UPnP: ${found.message}`);
      return { result: portMapResult(local, null, null, attempts, failed, lifetimeSec, wanted), held: null };
    }
    const service = found.service;
    const igdHost = new URL(service.controlUrl).hostname;
    attempts.push(`UPnP: ${service.name} at ${igdHost} (${service.serviceType.split(':').slice(-2).join(':')}).`);
    const client = local.localAddress;
    if (!client) {
      attempts.push('UPnP: this machine\u2019s own network address is not known, so the router cannot be told where to forward.');
      return { result: portMapResult(local, null, null, attempts, failed, lifetimeSec, wanted), held: null };
    }
    const mappings: PortMapResult['mappings'] = [];
    for (const w of wanted) {
      const m = await upnpMapTcp(service, { internalClient: client, internalPort: w.internalPort, externalPort: w.port, lifetimeSec, description: `RigLease ${w.port}`, ...(signal ? { signal } : {}) });
      mappings.push({ ...w, ok: m.ok, externalPort: m.externalPort, lifetimeSec: m.lifetimeSec, message: m.message });
    }
    const ok = mappings.filter((m) => m.ok);
    if (ok.length === 0) return { result: portMapResult(local, null, null, attempts, mappings, lifetimeSec, wanted), held: null };
    const outside = await upnpExternalAddress(service, signal);
    const held: HeldPortMaps = { kind: 'upnp', gateway: igdHost, service, at, ports: ok.map((m) => ({ port: m.port, internalPort: m.internalPort, externalPort: m.externalPort ?? m.port, lifetimeSec: m.lifetimeSec ?? 0 })) };
    return { result: { ...portMapResult(local, 'upnp', outside, attempts, mappings, lifetimeSec, wanted), gateway: igdHost }, held };
  }
}

/** `wanted`: every provider port with the host port it should reach, for the by-hand advice when the router mapped nothing. */
function portMapResult(local: LocalNetwork, method: PortMapResult['method'], externalAddress: string | null, attempts: string[], mappings: PortMapResult['mappings'], lifetimeSec: number, wanted: Array<{ port: number; internalPort: number }>): PortMapResult {
  const advice: string[] = [];
  const target = local.localAddress ?? 'this computer';
  const byHand = mappings.length > 0 && method ? mappings.filter((m) => !m.ok) : wanted.map((w) => mappings.find((m) => m.port === w.port) ?? w);
  if (byHand.length > 0) {
    const list = byHand.map((m) => `TCP ${m.port} \u2192 ${target}:${m.internalPort}`).join(', ');
    advice.push(method ? `Forward by hand in the router\u2019s settings ("port forwarding"): ${list}.` : `Neither NAT-PMP nor UPnP mapped the ports. Forward them by hand in the router\u2019s settings ("port forwarding" or "virtual server"): ${list}. Or switch on UPnP in the router and ask again.`);
  }
  if (mappings.some((m) => m.ok && m.externalPort !== m.port)) advice.push('The router chose different outside ports for some mappings; tenants expect the standard ones, so forward those by hand.');
  const ok = mappings.filter((m) => m.ok);
  if (ok.some((m) => (m.lifetimeSec ?? 0) > 0)) advice.push(`The router keeps these mappings for ${Math.round(lifetimeSec / 60)} minutes; RigLease asks again before then while it runs. For mappings that outlive the app, make a permanent rule in the router.`);
  if (ok.some((m) => m.lifetimeSec === 0)) advice.push('The router only keeps permanent mappings: they stay after RigLease quits. Use "Remove mappings" to take them away.');
  return { gateway: local.gateway, method, externalAddress, attempts, renewsAt: null, mappings, advice };
}
