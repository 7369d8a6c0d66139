import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsStatus, NetworkReport } from '../api/schemas/network.js';
import { SettingsStore } from '../store/settings-store.js';
import { pathsUnder } from '../store/paths.js';
import { bundleCli, runBundledCli, type CliRun } from '../../test/cli-bundle.js';
import { cloudflareStandIn, type CloudflareStandIn } from '../../test/net/cloudflare-standin.js';
import { dnsStandIn, type DnsStandIn } from '../../test/net/dns-standin.js';
import { natPmpTestRouter } from '../../test/net/nat-pmp-router.js';
import { whoamiStandIn } from '../../test/net/network-kit.js';

/**
 * `riglease network` as a user runs it: the bundled CLI in its own processes, a loopback NAT-PMP
 * router saying its outside address is 203.0.113.7, an address service saying the same, and the
 * Cloudflare + DNS stand-ins for the records. The token goes in on stdin only.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-network-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');
const TOKEN = 'cli-test-token-abcdef0123456789';
const PASS = 'correct horse battery staple network';

let home: string;
let env: NodeJS.ProcessEnv;
let cf: CloudflareStandIn;
let dns: DnsStandIn;
const closers: (() => Promise<void> | void)[] = [];
const riglease = (args: string[], stdin?: string): Promise<CliRun> => runBundledCli(MAIN, args, env, { timeoutMs: 60_000, ...(stdin !== undefined ? { stdin } : {}) });

beforeAll(async () => {
  await bundleCli(BUNDLE_DIR);
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-network-cli-'));
  const router = await natPmpTestRouter({ ip: [203, 0, 113, 7] });
  const who = await whoamiStandIn('203.0.113.7');
  cf = await cloudflareStandIn({ token: TOKEN, zone: 'example.com' });
  dns = await dnsStandIn({ zone: 'example.com', records: () => cf.records });
  closers.push(() => void router.socket.close(), who.close, cf.close, dns.close);
  env = { PATH: process.env['PATH'], RIGLEASE_HOME: home, RIGLEASE_PASSPHRASE: PASS, RIGLEASE_NAT_PMP_GATEWAY: `127.0.0.1:${router.port}`, RIGLEASE_UPNP_SSDP: '127.0.0.1:9' };
  const settings = new SettingsStore(pathsUnder(home).settingsFile);
  await settings.update((s) => {
    s.stack.domain = 'example.com';
    s.bench.network.publicIpUrl = '';
    s.network.whoamiUrl = who.url;
    s.network.dns.cloudflareApiUrl = cf.url;
    s.network.dns.resolver = dns.server;
  });
}, 120_000);
afterAll(async () => {
  for (const c of closers) await c();
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  if (home) await rm(home, { recursive: true, force: true });
});

describe('riglease network (real CLI, loopback router and DNS stand-ins)', () => {
  it('network --json: the router\u2019s outside address over NAT-PMP and the public address; one router = port forwarding', async () => {
    const r = await riglease(['network', '--json']);
    const report = NetworkReport.parse(JSON.parse(r.stdout));
    expect(report.router).toMatchObject({ wanAddress: '203.0.113.7', via: 'nat-pmp' });
    expect(report.public).toMatchObject({ address: '203.0.113.7', via: 'url' });
    // This machine's own address is a real interface's; whatever it is, it is not 203.0.113.7.
    expect(report).toMatchObject({ kind: 'nat', path: 'port_forwarding' });
    expect(r.code).toBe(0);
  });

  it('dns status without a token: the records to create by hand, exit 1 until they resolve', async () => {
    const r = await riglease(['network', 'dns', 'status']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('provider.example.com  A  203.0.113.7  TTL 300  [unknown]');
    expect(r.stdout).toContain('*.ingress.example.com  CNAME  provider.example.com  TTL 300  [unknown]');
    expect(cf.requests).toEqual([]);
  });

  it('dns token reads stdin into the secret store; dns sync writes both records and resolving verifies them', async () => {
    const saved = await riglease(['network', 'dns', 'token'], `${TOKEN}\n`);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toContain('saved in the secret store');
    const synced = await riglease(['network', 'dns', 'sync', '--json']);
    expect(synced.code, synced.stderr).toBe(0);
    const s = DnsStatus.parse(JSON.parse(synced.stdout));
    expect(s.records.map((x) => [x.name, x.state, x.verified])).toEqual([
      ['provider.example.com', 'created', true],
      ['*.ingress.example.com', 'created', true],
    ]);
    // The token is nowhere on disk in the clear: not in settings, not in any log.
    for (const f of await readdir(home, { recursive: true })) {
      const p = path.join(home, f);
      const text = await readFile(p, 'utf8').catch(() => '');
      expect(text.includes(TOKEN), p).toBe(false);
    }
    expect(synced.stdout + synced.stderr + saved.stdout + saved.stderr).not.toContain(TOKEN);
  });
});
