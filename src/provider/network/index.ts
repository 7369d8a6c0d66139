import { z } from 'zod';
import { RigError } from '../../api/errors.js';
import type { DnsStatus, DnsTokenResult, NetworkReport, Reachability } from '../../api/schemas/network.js';
import type { Settings } from '../../api/schemas/settings.js';
import { localNetwork as readLocalNetwork, type LocalNetwork } from '../../hardware/bench/network-info.js';
import { runPortsCheck } from '../../hardware/bench/network-bench.js';
import { reachabilityVerdict, relayPortsCheck } from './reachability.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { Logger } from '../../util/logger.js';
import { CloudflareClient } from './cloudflare-client.js';
import { networkReport } from './detect.js';
import { plannedRecords } from './dns-plan.js';
import { syncDns } from './dns-sync.js';
import { DynamicDns } from './dynamic-dns.js';
import { publicAddress } from './public-address.js';
import { relayPublicAddress } from './relay-address.js';
import { routerAddress } from './router-address.js';

/** The secret-store entry of the Cloudflare API token. */
export const CLOUDFLARE_TOKEN_SECRET = 'network.cloudflare-api-token';
/** The loop never asks more often than this, whatever the settings say (outside tests). */
export const MIN_POLL_MS = 300_000;

export interface NetworkDeps {
  settings: () => Promise<Settings>;
  secrets: SecretStore;
  platform: NodeJS.Platform;
  /** `RIGLEASE_NAT_PMP_GATEWAY=ip[:port]` and `RIGLEASE_UPNP_SSDP=ip[:port]` move the router asks (tests). */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Ranges to read as private besides RFC 1918 (the namespace tests' documentation-range LAN). */
  extraPrivate?: readonly string[];
  localNetwork?: () => Promise<LocalNetwork>;
  /**
   * The address DNS should point at when it is not this network's own public address. Absent:
   * the relay server's public address while the relay is on (`network.relay`), else null. Null:
   * this network's public address.
   */
  dnsTarget?: () => Promise<string | null>;
  /** Test seam: the loop's interval, below the 5-minute floor. */
  pollMs?: number;
}

export interface NetworkService {
  detect(signal?: AbortSignal): Promise<NetworkReport>;
  /** Last detection in this process, or null. */
  lastReport(): NetworkReport | null;
  dnsStatus(signal?: AbortSignal): Promise<DnsStatus>;
  dnsSync(signal?: AbortSignal): Promise<DnsStatus>;
  /** Last records status (a check, a sync or the loop), or null. */
  lastDns(): DnsStatus | null;
  setDnsToken(token: string): Promise<DnsTokenResult>;
  /** The outside check (ports from the probe + DNS by resolving); `refresh: false` answers the last one when there is one. */
  reachability(refresh: boolean, signal?: AbortSignal): Promise<Reachability>;
  startDynamicDns(): void;
  stop(): void;
}

function hostPort(v: string | undefined): { address: string; port: number | undefined } | null {
  const t = v?.trim();
  if (!t) return null;
  const [address, port] = t.split(':');
  return address ? { address, port: port ? Number(port) : undefined } : null;
}

/** Knows the network (addresses and NAT) and keeps provider.<domain> and *.ingress.<domain> on the public address. */
const HttpUrl = z.string().regex(/^https?:\/\/\S+$/, 'an http(s) URL');
const DnsServer = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/, 'ip or ip:port');

/** An env override of a setting, checked like the setting; a malformed one is refused, not ignored. */
function envOverride(env: NodeJS.ProcessEnv, name: string, schema: z.ZodString): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const r = schema.safeParse(raw.trim());
  if (!r.success) throw new RigError('invalid_input', `${name} is not ${r.error.issues[0]?.message ?? 'valid'}: "${raw}".`, `Fix or unset ${name}.`);
  return r.data;
}

export function createNetwork(deps: NetworkDeps): NetworkService {
  let report: NetworkReport | null = null;
  let dns: DnsStatus | null = null;
  let reach: Reachability | null = null;
  const log = deps.logger;

  const sources = async () => {
    const s = await deps.settings();
    // The env redirects the two outside services asked without a person's say (the address
    // service and the resolver), so a whole test suite can point them at loopback.
    const publicIpUrl = envOverride(deps.env, 'RIGLEASE_PUBLIC_IP_URL', HttpUrl) ?? s.bench.network.publicIpUrl;
    return { s, sources: { whoamiUrl: s.network.whoamiUrl, portProbeUrl: s.bench.network.portProbeUrl, publicIpUrl }, timeoutMs: Math.min(s.bench.network.timeoutMs, 10_000) };
  };

  const detect = async (signal: AbortSignal = new AbortController().signal): Promise<NetworkReport> => {
    const { sources: src, timeoutMs } = await sources();
    const local = await (deps.localNetwork ?? (() => readLocalNetwork(deps.platform)))();
    const pmp = hostPort(deps.env['RIGLEASE_NAT_PMP_GATEWAY']);
    const ssdp = hostPort(deps.env['RIGLEASE_UPNP_SSDP']);
    const gateway = pmp?.address ?? local.gateway;
    // Both asked at once; when the internet sees this computer's own address there is no router
    // to ask, so its (up to 4 s) NAT-PMP and UPnP wait is cut short.
    const noRouter = new AbortController();
    const pubAsk = publicAddress(src, timeoutMs, signal).then((p) => {
      if (p.ok && p.address === local.localAddress) noRouter.abort();
      return p;
    });
    const routerSignal = AbortSignal.any([signal, noRouter.signal]);
    const [router, pub] = await Promise.all([routerAddress({ gateway, ...(pmp?.port ? { natPmpPort: pmp.port } : {}), ...(ssdp ? { ssdp: { address: ssdp.address, port: ssdp.port ?? 1900 } } : {}), signal: routerSignal }), pubAsk]);
    report = networkReport({ local: { ...local, gateway }, router, public: pub, ...(deps.extraPrivate ? { extraPrivate: deps.extraPrivate } : {}) });
    return report;
  };

  const target = async (signal: AbortSignal): Promise<string> => {
    // While the relay is on, tenants come in at the relay server, so that is where DNS points.
    const relay = deps.dnsTarget ? await deps.dnsTarget() : relayPublicAddress((await deps.settings()).network.relay);
    if (relay) return relay;
    const { sources: src, timeoutMs } = await sources();
    const pub = await publicAddress(src, timeoutMs, signal);
    if (!pub.ok) throw new RigError('precondition_failed', `This network\u2019s public address could not be read (${pub.tried.join('; ')}).`, 'Set bench.network.portProbeUrl to an outside probe (`riglease probe-server`), or network.whoamiUrl, and try again.');
    return pub.address;
  };

  const run = async (write: boolean, signal: AbortSignal, address?: string): Promise<DnsStatus> => {
    const { s } = await sources();
    const domain = s.stack.domain.trim().toLowerCase();
    if (!domain) throw new RigError('precondition_failed', 'No domain is set, so there are no records to keep.', 'Set the provider\u2019s domain: riglease settings set stack.domain example.com');
    const ip = address ?? (await target(signal));
    const token = await deps.secrets.get(CLOUDFLARE_TOKEN_SECRET);
    const d = s.network.dns;
    dns = await syncDns({
      domain,
      publicAddress: ip,
      planned: plannedRecords(domain, ip, d.ingress, d.ttl),
      resolver: envOverride(deps.env, 'RIGLEASE_DNS_RESOLVER', DnsServer) ?? d.resolver,
      write,
      ...(token ? { cloudflare: new CloudflareClient({ baseUrl: d.cloudflareApiUrl, token, signal }) } : {}),
    });
    loop.remember(dns);
    return dns;
  };

  const loop = new DynamicDns({
    currentAddress: () => target(AbortSignal.timeout(30_000)).catch(() => null),
    enabled: async () => (await deps.secrets.has(CLOUDFLARE_TOKEN_SECRET)) && (await deps.settings()).stack.domain.trim() !== '',
    sync: (address) => run(true, AbortSignal.timeout(60_000), address),
    intervalMs: async () => deps.pollMs ?? Math.max(MIN_POLL_MS, (await deps.settings()).network.dns.pollSec * 1000),
    logger: log.child('dynamic-dns'),
  });

  const reachability = async (signal: AbortSignal): Promise<Reachability> => {
    const { s } = await sources();
    const local = await (deps.localNetwork ?? (() => readLocalNetwork(deps.platform)))();
    const hostPorts = { 80: s.stack.ports.http, 443: s.stack.ports.https, 8443: s.stack.ports.gateway, 8444: s.stack.ports.grpc };
    const relay = relayPublicAddress(s.network.relay);
    const ports = relay ? await relayPortsCheck(relay) : await runPortsCheck({ local, settings: s.bench.network, signal, hostPorts });
    let status: DnsStatus | null = null;
    let dnsError: string | null = null;
    try {
      status = await run(false, signal);
    } catch (err) {
      dnsError = err instanceof Error ? `${err.message}${(err as { fix?: string }).fix ? ` ${(err as { fix?: string }).fix}` : ''}` : String(err);
    }
    reach = reachabilityVerdict(ports, status, dnsError);
    return reach;
  };

  return {
    detect,
    reachability: async (refresh, signal = new AbortController().signal) => (!refresh && reach ? reach : reachability(signal)),
    lastReport: () => report,
    dnsStatus: (signal = new AbortController().signal) => run(false, signal),
    dnsSync: (signal = new AbortController().signal) => run(true, signal),
    lastDns: () => dns ?? loop.last(),
    setDnsToken: async (token) => {
      if (token === '') {
        await deps.secrets.delete(CLOUDFLARE_TOKEN_SECRET);
        return { tokenSet: false, message: 'The Cloudflare token is removed; DNS records are no longer kept up to date.' };
      }
      await deps.secrets.set(CLOUDFLARE_TOKEN_SECRET, token);
      return { tokenSet: true, message: 'The Cloudflare token is saved in the secret store. `riglease network dns sync` writes the records now.' };
    },
    startDynamicDns: () => loop.start(),
    stop: () => loop.stop(),
  };
}
