/**
 * What the namespace tests run inside a namespace (`ip netns exec <ns> node --import tsx
 * test/net/netns-node.ts '<json>'`): the outside probe, a home router's NAT-PMP and UPnP
 * stand-ins, or one network detection. Servers print READY and run until killed.
 */
import net from 'node:net';
import { localNetwork } from '../../src/hardware/bench/network-info.js';
import { startProbeServer } from '../../src/hardware/bench/probe-server.js';
import { findIgd, upnpMapTcp } from '../../src/hardware/bench/upnp-igd.js';
import { CLOUDFLARE_TOKEN_SECRET, createNetwork } from '../../src/provider/network/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { cloudflareStandIn } from './cloudflare-standin.js';
import { dnsStandIn } from './dns-standin.js';
import { natPmpTestRouter } from './nat-pmp-router.js';
import { memorySecrets, settingsWith } from './network-kit.js';
import { upnpStandInIgd } from './upnp-igd-router.js';

type Job =
  | { role: 'probe'; host: string; port: number }
  | { role: 'router'; lan: string; wan: string; natPmp: boolean; upnp: boolean; forwardOn?: string }
  | { role: 'detect'; portProbeUrl: string; extraPrivate: string[] }
  | { role: 'dnshost'; host: string; zone: string }
  | { role: 'dns'; portProbeUrl: string; domain: string; cloudflareApiUrl: string; resolver: string }
  | { role: 'provider'; portProbeUrl: string; domain: string; cloudflareApiUrl: string; resolver: string };

/** The test token comes in the environment, never on the command line. */
const token = process.env['RIGLEASE_TEST_CF_TOKEN'] ?? '';

const job = JSON.parse(process.argv[2] ?? '{}') as Job;

if (job.role === 'probe') {
  await startProbeServer({ host: job.host, port: job.port, connectTimeoutMs: 1000 });
  process.stdout.write('READY\n');
} else if (job.role === 'router') {
  if (job.natPmp) await natPmpTestRouter({ host: job.lan, port: 5351, ip: job.wan.split('.').map(Number) as [number, number, number, number] });
  if (job.upnp) await upnpStandInIgd({ lanAddress: job.lan, externalIp: job.wan, ...(job.forwardOn ? { forwardOn: job.forwardOn } : {}) });
  process.stdout.write('READY\n');
} else if (job.role === 'detect') {
  const net = createNetwork({ settings: async () => settingsWith({ portProbeUrl: job.portProbeUrl }), secrets: memorySecrets(), platform: 'linux', env: {}, logger: silentLogger, extraPrivate: job.extraPrivate });
  const t0 = performance.now();
  const report = await net.detect();
  process.stdout.write(`${JSON.stringify({ ...report, ms: Math.round(performance.now() - t0) })}\n`);
  process.exit(0);
} else if (job.role === 'dnshost') {
  // The DNS host on the public side: Cloudflare's API on :8080 and the zone's nameserver on :53, one record set.
  const cf = await cloudflareStandIn({ token, zone: job.zone, host: job.host, port: 8080 });
  await dnsStandIn({ zone: job.zone, records: () => cf.records, host: job.host, port: 53 });
  process.stdout.write('READY\n');
} else if (job.role === 'provider') {
  // A provider at home: something listens on 80, 443, 8443, 8444; it asks the router to forward
  // them (UPnP, as `riglease ports map` does), writes its DNS records, then runs the outside check.
  for (const port of [80, 443, 8443, 8444]) await new Promise<void>((r) => net.createServer((c) => c.end()).listen(port, '0.0.0.0', () => r()));
  const local = await localNetwork('linux');
  const igd = await findIgd({});
  const mapped: string[] = [];
  if (igd.ok) for (const port of [80, 443, 8443, 8444]) mapped.push((await upnpMapTcp(igd.service, { internalClient: local.localAddress ?? '', internalPort: port, externalPort: port, lifetimeSec: 600, description: `RigLease ${port}` })).message);
  const secrets = memorySecrets();
  await secrets.set(CLOUDFLARE_TOKEN_SECRET, token);
  const settings = settingsWith({ portProbeUrl: job.portProbeUrl, domain: job.domain, dns: { cloudflareApiUrl: job.cloudflareApiUrl, resolver: job.resolver } });
  const n = createNetwork({ settings: async () => settings, secrets, platform: 'linux', env: {}, logger: silentLogger });
  const t0 = performance.now();
  const detected = await n.detect();
  await n.dnsSync();
  const reach = await n.reachability(true);
  process.stdout.write(`${JSON.stringify({ kind: detected.kind, mapped, reach, ms: Math.round(performance.now() - t0) })}\n`);
  process.exit(0);
} else if (job.role === 'dns') {
  const secrets = memorySecrets();
  await secrets.set(CLOUDFLARE_TOKEN_SECRET, token);
  const settings = settingsWith({ portProbeUrl: job.portProbeUrl, domain: job.domain, dns: { cloudflareApiUrl: job.cloudflareApiUrl, resolver: job.resolver } });
  const net = createNetwork({ settings: async () => settings, secrets, platform: 'linux', env: {}, logger: silentLogger });
  const t0 = performance.now();
  const status = await net.dnsSync();
  process.stdout.write(`${JSON.stringify({ ...status, ms: Math.round(performance.now() - t0) })}\n`);
  process.exit(0);
}
