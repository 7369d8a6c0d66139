/**
 * TEST TOOL: the relay set up end to end on a wireguard-topology: the rig's relay service in the
 * home namespace makes the keys and prints the setup script; the script runs, unchanged but for
 * --no-install, as root in the cloud namespace; stand-ins listen on the provider's host ports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Envelope } from '../../src/api/envelope.js';
import type { RelaySetupScript, RelayStatus } from '../../src/api/schemas/relay.js';
import { ADDR, buildWireguardTopology, type NsNode, type WgTopology } from './wireguard-topology.js';

/** The stack's published host ports in these tests: 80 and 443 land elsewhere on the rig, to prove the translation. */
export const PORTS = { http: 18080, https: 18443, gateway: 8443, grpc: 8444, nodePortStart: 30000, nodePortCount: 10 };
export const ENDPOINT = `${ADDR.cloud}:51820`;

export interface RelayRig {
  topo: WgTopology;
  rig: NsNode;
  tenant: NsNode;
  script: RelaySetupScript;
  call<T>(method: string, input?: unknown, timeoutMs?: number): Promise<T>;
  /** Polls relay.status until `pred`; returns it and how long it took. */
  waitFor(pred: (s: RelayStatus) => boolean, timeoutMs: number): Promise<{ status: RelayStatus; ms: number }>;
  /** Runs the relay's "bring it back" script, what its systemd watch runs every minute. */
  relayEnsure(): void;
}

/** `listeners: false` leaves out the stand-in ports (and the certificate): for tests about the tunnel alone. */
export async function setUpRelayRig(opts: { healthIntervalMs?: number; listeners?: boolean }): Promise<RelayRig> {
  const topo = buildWireguardTopology();
  try {
    const rig = await topo.node(topo.ns.home);
    const tenant = await topo.node(topo.ns.tenant);
    const init = { relay: { interfaceName: topo.rigIface }, ports: PORTS, ...(opts.healthIntervalMs ? { healthIntervalMs: opts.healthIntervalMs } : {}) };
    const call = async <T>(method: string, input: unknown = {}, timeoutMs = 20_000): Promise<T> => {
      const env = await rig.request<Envelope>('call', { init, method, input }, timeoutMs);
      if (!env.ok) throw new Error(`${method}: ${env.error.message} ${env.error.fix ?? ''}\n${rig.stderr().slice(-2000)}`);
      return env.value as T;
    };
    await call('relay.init', { endpoint: ENDPOINT });
    const script = await call<RelaySetupScript>('relay.setupScript');
    const relayRoot = path.join(topo.dir, 'relay');
    mkdirSync(relayRoot);
    const file = path.join(topo.dir, 'riglease-relay.sh');
    writeFileSync(file, script.bash, { mode: 0o700 });
    // Its own interface name: on one machine the two ends share wireguard-go's socket folder.
    const ran = topo.run(topo.ns.cloud, ['bash', file, '--no-install'], { env: { ...process.env, RIGLEASE_RELAY_ROOT: relayRoot, RIGLEASE_RELAY_IFACE: topo.relayIface }, timeoutMs: 20_000 });
    if (ran.code !== 0) throw new Error(`setup script failed (${String(ran.code)}): ${ran.stderr}\n${ran.stdout}`);

    if (opts.listeners !== false) await listenOnProviderPorts(topo, rig);

    const waitFor = async (pred: (s: RelayStatus) => boolean, timeoutMs: number) => {
      const started = performance.now();
      for (;;) {
        const status = await call<RelayStatus>('relay.status');
        if (pred(status)) return { status, ms: Math.round(performance.now() - started) };
        if (performance.now() - started > timeoutMs) throw new Error(`relay status stayed ${status.state}: ${status.text}\n${rig.stderr().slice(-1500)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const relayEnsure = () => {
      const r = topo.run(topo.ns.cloud, ['bash', path.join(relayRoot, 'etc/wireguard/riglease-relay-ensure')]);
      if (r.code !== 0) throw new Error(`ensure: ${r.stderr}`);
    };
    return { topo, rig, tenant, script, call, waitFor, relayEnsure };
  } catch (err) {
    topo.teardown();
    throw err;
  }
}

/** Stand-ins for what Docker publishes on the rig: the gateway, gRPC, ingress HTTP and TLS, a TCP and a UDP lease port. */
async function listenOnProviderPorts(topo: WgTopology, rig: NsNode): Promise<void> {
  const certFile = path.join(topo.dir, 'ingress.crt');
  const keyFile = path.join(topo.dir, 'ingress.key');
  const cert = topo.run(topo.ns.home, ['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=*.ingress.example.org', '-keyout', keyFile, '-out', certFile]);
  if (cert.code !== 0) throw new Error(`openssl: ${cert.stderr}`);
  await rig.request('listen', { spec: { kind: 'tcp', port: PORTS.gateway, name: 'gateway' } });
  await rig.request('listen', { spec: { kind: 'tcp', port: PORTS.grpc, name: 'grpc' } });
  await rig.request('listen', { spec: { kind: 'tcp', port: PORTS.http, name: 'ingress-http' } });
  await rig.request('listen', { spec: { kind: 'tls', port: PORTS.https, name: 'ingress-https', certFile, keyFile } });
  await rig.request('listen', { spec: { kind: 'tcp', port: 30003, name: 'lease-tcp' } });
  await rig.request('listen', { spec: { kind: 'udp', port: 30007, name: 'lease-udp' } });
}

/** The relay's wireguard-go process (started by wg-quick in the cloud namespace). */
export function relayWireguardPid(topo: WgTopology): number {
  const pids = topo.run(topo.ns.cloud, ['sh', '-c', 'for p in $(ip netns pids "$0"); do [ "$(cat /proc/$p/comm)" = wireguard-go ] && echo $p; done', topo.ns.cloud]);
  const pid = Number(pids.stdout.trim().split('\n')[0]);
  if (!pid) throw new Error(`no wireguard-go in ${topo.ns.cloud}: ${pids.stderr}`);
  return pid;
}

/** Polls a tenant's connection until it gets `expected`; returns how long it took. */
export async function reachableAfter(tenant: NsNode, host: string, port: number, expected: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    const got = await tenant.request<string>('tcp', { host, port, timeoutMs: 1_000 }).catch(() => null);
    if (got === expected) return Math.round(performance.now() - started);
    if (performance.now() - started > timeoutMs) throw new Error(`${host}:${port} still unreachable after ${timeoutMs} ms (last answer ${String(got)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
