import type { NetworkBench, PortsBench } from '../../api/schemas/bench.js';
import type { BenchSettings } from '../../api/schemas/settings/bench.js';
import { natPmpExternalAddress } from './nat-pmp.js';
import { classifyIPv4, type LocalNetwork } from './network-info.js';
import { fetchPublicIp, measureDownload, measureLatency, measureUpload, probePorts } from './net-probe.js';

/** The ports Akash tenants and the network reach a provider on (AKASH.md §5, §7). */
export const PROVIDER_PORTS = [
  { port: 80, purpose: 'tenant web traffic (HTTP ingress)' },
  { port: 443, purpose: 'tenant web traffic (HTTPS ingress)' },
  { port: 8443, purpose: 'provider gateway: tenants send their deployments here' },
  { port: 8444, purpose: 'provider gRPC (lease status, shell)' },
] as const;

export interface NetworkBenchOptions {
  local: LocalNetwork;
  settings: BenchSettings['network'];
  signal: AbortSignal;
  /** For tests: where the router listens for NAT-PMP. */
  natPmpPort?: number;
}

async function attempt<T>(label: string, notTested: string[], work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (err) {
    notTested.push(`${label}: not tested (${err instanceof Error ? err.message : String(err)})`);
    return null;
  }
}

export async function runNetworkBenchmark(o: NetworkBenchOptions): Promise<NetworkBench> {
  const s = o.settings;
  const notTested: string[] = [];
  const probe = { timeoutMs: s.timeoutMs, signal: o.signal };
  const kind = classifyIPv4(o.local.localAddress);
  const behindNat = kind === 'private' || kind === 'cgnat' ? true : kind === 'public' ? false : null;
  const natPmp = behindNat && o.local.gateway ? await natPmpExternalAddress({ gateway: o.local.gateway, ...(o.natPmpPort ? { port: o.natPmpPort } : {}), signal: o.signal }) : null;
  const publicAddress = s.publicIpUrl ? await attempt('public address', notTested, () => fetchPublicIp(s.publicIpUrl, probe)) : (notTested.push('public address: not tested (no address service configured)'), null);
  const routerOutside = natPmp?.externalAddress ?? null;
  // CGNAT: either this machine or the router's own outside address is in 100.64/10, or the
  // router's outside address differs from what the internet sees.
  const carrierNat = kind === 'cgnat' || classifyIPv4(routerOutside) === 'cgnat' || (routerOutside !== null && publicAddress !== null && routerOutside !== publicAddress);
  const downloadMbps = s.downloadUrl ? await attempt('download', notTested, () => measureDownload(s.downloadUrl, s.transferBytes, probe)) : null;
  const uploadMbps = s.uploadUrl ? await attempt('upload', notTested, () => measureUpload(s.uploadUrl, s.transferBytes, probe)) : null;
  const latencyMs = s.downloadUrl ? await attempt('latency', notTested, () => measureLatency(s.downloadUrl, probe)) : null;
  if (!s.downloadUrl) notTested.push('download and latency: not tested (no download address configured)');
  if (!s.uploadUrl) notTested.push('upload: not tested (no upload address configured)');
  return {
    interfaceName: o.local.interfaceName,
    localAddress: o.local.localAddress,
    localKind: kind,
    gateway: o.local.gateway,
    publicAddress,
    behindNat,
    carrierNat,
    natPmp,
    downloadMbps,
    uploadMbps,
    latencyMs,
    explanation: explain(kind, behindNat, carrierNat, o.local, publicAddress),
    notTested,
  };
}

function explain(kind: string, behindNat: boolean | null, carrierNat: boolean, local: LocalNetwork, publicAddress: string | null): string[] {
  const out: string[] = [];
  if (behindNat === true) {
    out.push(`This computer has a private address (${local.localAddress}); your router shares ${publicAddress ?? 'one public address'} with it (NAT). Tenants can only reach it if the router forwards the provider ports to ${local.localAddress}.`);
  } else if (behindNat === false) {
    out.push(`This computer has a public address (${local.localAddress}); only its firewall decides whether tenants can reach it.`);
  } else {
    out.push('The address of this computer could not be determined, so NAT could not be checked.');
  }
  if (carrierNat) out.push('Your internet provider shares its public address among many customers (carrier-grade NAT). Port forwarding on your router cannot work; ask the provider for a public IPv4 address.');
  if (kind === 'cgnat') out.push(`${local.localAddress} is in 100.64.0.0/10, the range reserved for carrier-grade NAT.`);
  return out;
}

export interface PortsBenchOptions {
  local: LocalNetwork;
  settings: BenchSettings['network'];
  signal: AbortSignal;
  /** The host port the stack publishes each provider port on (stack.ports); default the same port. */
  hostPorts?: Record<number, number>;
}

export async function runPortsCheck(o: PortsBenchOptions): Promise<PortsBench> {
  const url = o.settings.portProbeUrl;
  const kind = classifyIPv4(o.local.localAddress);
  const advice = portAdvice(kind, o.local.localAddress, o.hostPorts);
  const untested = (reason: string): PortsBench => ({
    probeUrl: url || null,
    tested: false,
    reason,
    ports: PROVIDER_PORTS.map((p) => ({ port: p.port, purpose: p.purpose, state: 'not_tested' as const, detail: reason })),
    advice,
  });
  if (!url) return untested('not tested: no outside probe configured (set bench.network.portProbeUrl) — reachability can only be checked from outside this network');
  let answer;
  try {
    answer = await probePorts(url, PROVIDER_PORTS.map((p) => p.port), { timeoutMs: o.settings.timeoutMs, signal: o.signal });
  } catch (err) {
    return untested(`not tested: no outside probe reachable (${err instanceof Error ? err.message : String(err)})`);
  }
  const outside = answer.ip ?? null;
  const ports = PROVIDER_PORTS.map((p) => {
    const r = answer.results.find((x) => x.port === p.port);
    if (!r) return { port: p.port, purpose: p.purpose, state: 'not_tested' as const, detail: 'the probe did not report this port', probe: null, ms: null };
    const probe = r.state ?? (r.open ? 'open' : 'closed');
    const detail = r.state === undefined && r.detail ? r.detail : portDetail(probe, p.port, r.ms ?? null, outside, kind, o.local.localAddress, o.hostPorts?.[p.port] ?? p.port);
    return { port: p.port, purpose: p.purpose, state: probe === 'open' ? ('open' as const) : ('closed' as const), detail, probe, ms: r.ms ?? null };
  });
  const blocked = ports.filter((p) => p.state === 'closed');
  const natNote =
    blocked.length > 0 && kind === 'private' && outside
      ? [`The internet sees this network as ${outside}; this computer is ${o.local.localAddress} behind the router (NAT). A port only opens when the router forwards it to this computer.`]
      : [];
  return {
    probeUrl: url,
    tested: true,
    reason: outside ? `checked from outside against ${outside}` : 'checked from outside',
    ports,
    // Only the ports that failed: telling someone to open 80 and 443 again when they work sends them hunting.
    advice: blocked.length > 0 ? [...natNote, ...portAdvice(kind, o.local.localAddress, o.hostPorts, blocked.map((p) => p.port))] : [],
  };
}

/** One port's result in plain words: what happened from outside, and what to do about it. */
function portDetail(state: 'open' | 'closed' | 'filtered', port: number, ms: number | null, outside: string | null, kind: string, localAddress: string | null, hostPort: number): string {
  const where = outside ? `${outside}:${port}` : `port ${port}`;
  const took = ms === null ? '' : ` (${Math.round(ms)} ms)`;
  const todo =
    kind === 'cgnat'
      ? 'carrier-grade NAT: ask your internet provider for a public IPv4 address'
      : kind === 'private'
        ? `forward TCP ${port} in the router to ${localAddress}:${hostPort}, and check that the provider stack is running`
        : `allow incoming TCP ${hostPort} in this computer’s firewall, and check that the provider stack is running`;
  if (state === 'open') return `reachable from the internet at ${where}${took}`;
  if (state === 'closed') return `refused at ${where}${took}: the connection arrived but nothing accepted it — ${todo}`;
  return `no answer at ${where}${took}: a router or firewall drops it — ${todo}`;
}

/** What to do to open the provider ports; `only` narrows it to the ports a probe found blocked. */
export function portAdvice(kind: string, localAddress: string | null, hostPorts?: Record<number, number>, only?: number[]): string[] {
  const wanted = only && only.length > 0 ? PROVIDER_PORTS.filter((p) => only.includes(p.port)) : PROVIDER_PORTS;
  const list = wanted.map((p) => p.port).join(', ');
  const same = !hostPorts || wanted.every((p) => (hostPorts[p.port] ?? p.port) === p.port);
  if (kind === 'cgnat') return ['Carrier-grade NAT: forwarding cannot work from your router. Ask your internet provider for a public IPv4 address.'];
  if (kind === 'private') {
    const what = same ? `TCP ${list} to ${localAddress}` : wanted.map((p) => `TCP ${p.port} → ${localAddress}:${hostPorts?.[p.port] ?? p.port}`).join(', ');
    return [
      `In your router's settings ("port forwarding" or "virtual server"), forward ${what}.`,
      'Also forward the NodePort range RigLease publishes (stack.ports.nodePortStart, 100 ports by default) if tenants use TCP services.',
      'Give this computer a fixed address in the router (DHCP reservation), or the forwarding breaks when its address changes.',
    ];
  }
  const inbound = same ? `TCP ${list}` : `TCP ${wanted.map((p) => hostPorts?.[p.port] ?? p.port).join(', ')}`;
  if (kind === 'public') return [`Allow incoming ${inbound} in this computer's firewall.`];
  return [`Make TCP ${list} reachable from the internet.`];
}
