import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve, stringToPath } from '@cosmjs/crypto';
import { toBase64, toBech32, toHex } from '@cosmjs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EVENT_NAMES } from '../api/events.js';
import { HD_PATH } from '../provider/chain/mnemonic.js';
import { CERT_KEY_SECRET } from '../provider/chain/provider-service.js';
import { startServer, type RunningServer } from '../server/server.js';
import { passphraseSecretStore, type PassphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pathsUnder } from '../store/paths.js';
import { fileLogger } from '../util/logger.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { TEST_DOCKER_HOST } from '../../test/docker/engine.js';
import { startTestChainNode } from '../simulation/chain-node/server.js';
import { PACKAGE_ROOT } from '../../test/cli-bundle.js';
import { bundleCrashFixture, runCrashFixture } from '../../test/crash-fixture/index.js';
import { crashReportsDir } from './crash-reports.js';
import { Agent } from './agent.js';

const CHAIN_ID = 'riglease-testnode-1';
const PASSPHRASE = 'secret test passphrase 9';
const TENANT = toBech32('akash', new Uint8Array(20).fill(7));
const CRASH_BUNDLE_DIR = path.join(PACKAGE_ROOT, 'node_modules', '.cache', `riglease-secrets-crash-${process.pid}`);

/**
 * Issue 4's secret test: a full session through the headless server (what the renderer uses),
 * then every place a secret could end up is searched for the mnemonic and the private keys:
 * every file under RIGLEASE_HOME (logs, settings, state, the encrypted secrets), every API
 * answer and every event the page received — except the one `wallet.create` answer and the
 * explicit `wallet.reveal`, which exist to show the phrase.
 */
describe('after create → register → send → withdraw, no secret is anywhere it must not be', () => {
  let node: Awaited<ReturnType<typeof startTestChainNode>>;
  let home: string;
  let agent: Agent;
  let secrets: PassphraseSecretStore;
  let server: RunningServer;
  let ws: WebSocket;
  /** Everything sent to the page, in order, except the two answers that may hold the phrase. */
  const sentToPage: string[] = [];
  const allowed: string[] = [];

  async function rpc<T>(method: string, input: unknown, opts: { mayHoldSecret?: boolean } = {}): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
    const res = await fetch(`${server.origin}/api/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ method, input }),
    });
    const text = await res.text();
    (opts.mayHoldSecret ? allowed : sentToPage).push(text);
    return JSON.parse(text) as { ok: true; value: T };
  }
  async function ok<T>(method: string, input: unknown, opts: { mayHoldSecret?: boolean } = {}): Promise<T> {
    const r = await rpc<T>(method, input, opts);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.value;
  }
  /** Waits for a task through the events the page sees, as the screen does. */
  function taskDone(id: string): Promise<{ state: string; result?: unknown; error?: unknown }> {
    return new Promise((resolve) => {
      const on = (data: WebSocket.RawData) => {
        const m = JSON.parse(data.toString()) as { event?: string; payload?: { task: string; state: string } };
        if (m.event === 'task.progress' && m.payload?.task === id && m.payload.state !== 'running') {
          ws.off('message', on);
          resolve(m.payload);
        }
      };
      ws.on('message', on);
    });
  }

  beforeAll(async () => {
    node = await startTestChainNode({ chainId: CHAIN_ID });
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-secrets-'));
    const paths = pathsUnder(home);
    secrets = passphraseSecretStore(paths.secretsDir, async () => PASSPHRASE);
    agent = new Agent({
      host: 'headless',
      paths,
      secrets,
      // The real file logger at debug level: whatever the agent logs lands in RIGLEASE_HOME/logs.
      logger: fileLogger(paths.logsDir, 'headless'),
      version: '0.0.0-test',
      env: { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: TEST_DOCKER_HOST, RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: CHAIN_ID },
    });
    server = await startServer({ agent, port: 0, staticDir: null, logger: fileLogger(paths.logsDir, 'headless').child('server') });
    ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers: { authorization: `Bearer ${server.token}`, origin: server.origin } });
    ws.on('message', (d) => sentToPage.push(d.toString()));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    for (const event of EVENT_NAMES) ws.send(JSON.stringify({ type: 'subscribe', event }));
  });

  afterAll(async () => {
    ws?.close();
    await server?.close();
    await agent?.stop();
    await node?.stop();
    await rm(home, { recursive: true, force: true });
    await rm(CRASH_BUNDLE_DIR, { recursive: true, force: true });
  });

  it('runs the session and finds neither the mnemonic nor a private key outside the secret store', async () => {
    // Create: the phrase is in this one answer; a wrong word saves nothing.
    const created = await ok<{ pendingId: string; mnemonic: string; address: string; confirmPositions: number[] }>('wallet.create', {}, { mayHoldSecret: true });
    const words = created.mnemonic.split(' ');
    const bad = await rpc('wallet.confirmBackup', { pendingId: created.pendingId, words: created.confirmPositions.map((p, i) => ({ position: p, word: i === 0 ? (words[p - 1] === 'zoo' ? 'abandon' : 'zoo') : words[p - 1] })) });
    expect(bad.ok).toBe(false);
    await ok('wallet.confirmBackup', { pendingId: created.pendingId, words: created.confirmPositions.map((p) => ({ position: p, word: words[p - 1] })) });
    // Error paths that carry phrase material in their input must not echo it anywhere.
    const dup = await rpc('wallet.import', { mnemonic: created.mnemonic });
    expect(dup).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const swapped = [...words];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(await rpc('wallet.import', { mnemonic: swapped.join(' '), replace: true })).toMatchObject({ ok: false });

    node.chain.fund(created.address, 'uakt', 50_000_000n);
    const status = await ok<{ balance: { uakt: string; shortfall: { ok: boolean } } }>('wallet.status', {});
    expect(status.balance.uakt).toBe('50000000');
    expect(status.balance.shortfall.ok).toBe(true);

    for (const [key, value] of [
      ['chain.provider.hostUri', 'https://provider.rig.example.com:8443'],
      ['chain.provider.locationRegion', 'eu-central'],
      ['chain.provider.memoryType', 'ddr5'],
    ] as const) {
      await ok('settings.set', { key, value });
    }
    await ok('network.get', {});
    const dry = await ok<{ plan: { messages: { typeUrl: string }[] } }>('provider.register', { dryRun: true });
    expect(dry.plan.messages.map((m) => m.typeUrl)).toContain('/akash.cert.v1.MsgCreateCertificate');
    const reg = await ok<{ task: { id: string } }>('provider.register', {});
    expect((await taskDone(reg.task.id)).state).toBe('succeeded');
    await ok('provider.show', {});

    const h = node.chain.state.height;
    node.chain.seed({ leases: Array.from({ length: 12 }, (_, i) => ({ owner: TENANT, dseq: 500 + i, provider: created.address, pricePerBlock: '4', createdAt: h })) });
    node.chain.advance(20);
    await ok('leases.list', { state: 'active', limit: 5 });
    await ok('earnings.get', { usdPerAkt: 2 });
    const wd = await ok<{ task: { id: string } }>('leases.withdraw', {});
    expect((await taskDone(wd.task.id)).state).toBe('succeeded');

    const preview = await ok<{ previewId: string }>('wallet.previewSend', { to: TENANT, amountUakt: '1000000' });
    const sent = await ok<{ id: string }>('wallet.send', { previewId: preview.previewId, confirm: true });
    expect((await taskDone(sent.id)).state).toBe('succeeded');
    await ok('task.list', {});

    // Reveal: refused with a wrong passphrase (that answer is searched too), allowed with the right one.
    expect(await rpc('wallet.reveal', { passphrase: 'not the passphrase' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const revealed = await ok<{ mnemonic: string }>('wallet.reveal', { passphrase: PASSPHRASE }, { mayHoldSecret: true });
    expect(revealed.mnemonic).toBe(created.mnemonic);

    // The secrets to look for, derived independently of the app's code paths.
    const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(created.mnemonic));
    const priv = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath(HD_PATH)).privkey;
    const certKey = await secrets.get(CERT_KEY_SECRET);
    expect(certKey).toMatch(/PRIVATE KEY/);
    const certKeyLines = certKey!.split(/\r?\n/).filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l));
    expect(certKeyLines.length).toBeGreaterThan(0);
    const needles: [string, RegExp][] = [
      ['mnemonic', new RegExp(escape(created.mnemonic))],
      // Any four consecutive words, whatever separates them (JSON arrays, commas, newlines).
      ...words.slice(0, -3).map((_, i) => ['4 phrase words in a row', new RegExp(words.slice(i, i + 4).map(escape).join('[\\s",\\[\\]\\\\n]+'))] as [string, RegExp]),
      ['wallet private key (hex)', new RegExp(toHex(priv), 'i')],
      ['wallet private key (base64)', new RegExp(escape(toBase64(priv)))],
      ...certKeyLines.map((l) => ['certificate private key', new RegExp(escape(l))] as [string, RegExp]),
      ['passphrase', new RegExp(escape(PASSPHRASE))],
    ];

    // A crash in a child process of the same data folder (the daemon's passphrase in its
    // environment, as `riglease serve` gets it) whose error message and stack carry the phrase
    // (spaced and comma-separated), the wallet key, the certificate key and the passphrase.
    const crashScript = await bundleCrashFixture(CRASH_BUNDLE_DIR);
    const crash = await runCrashFixture(crashScript, 'throw', {
      ...process.env,
      RIGLEASE_HOME: home,
      RIGLEASE_PASSPHRASE: PASSPHRASE,
      CRASH_MESSAGE: `could not sign with ${created.mnemonic} (key ${toHex(priv)}, passphrase ${PASSPHRASE})\n${certKey!}`,
      CRASH_STACK_EXTRA: `${words.join(', ')} 0x${toHex(priv)} ${PASSPHRASE}`,
    });
    expect(crash.code, 'a crash still ends the process with an error code').toBe(1);
    const crashReports = (await readdir(crashReportsDir(home))).filter((n) => n.endsWith('.json'));
    expect(crashReports, 'the crash report was written').toHaveLength(1);
    // The report is about that crash: its name and the words around the secrets stay.
    expect(await readFile(path.join(crashReportsDir(home), crashReports[0]!), 'utf8')).toMatch(/"name": "WalletCrash"[\s\S]*\(key \[redacted\], passphrase \[redacted\]\)/);

    // The diagnostics bundle a user would attach to a bug report, unpacked.
    const bundle = await ok<{ path: string; files: string[] }>('diagnostics.export', {});
    const entries = unzip(await readFile(bundle.path));
    expect(entries.some((e) => e.name.includes('logs/')), 'the bundle holds the log').toBe(true);
    expect(entries.some((e) => e.text.includes(created.address)), 'the bundle holds the wallet state (address only)').toBe(true);
    expect(entries.some((e) => e.name.startsWith('crash-reports/')), 'the bundle holds the crash report').toBe(true);

    // Wait for the socket to have delivered everything queued before searching.
    await ok('app.info', {});
    const haystacks: { where: string; text: string }[] = [
      ...sentToPage.map((text, i) => ({ where: `API answer / event #${i}`, text })),
      { where: 'the crashed process stderr', text: crash.stderr },
      ...(await filesUnder(home)).map((f) => ({ where: f.file, text: f.text })),
      ...entries.map((e) => ({ where: `diagnostics bundle: ${e.name}`, text: e.text })),
    ];
    expect(haystacks.some((h) => h.where.includes(`${path.sep}logs${path.sep}`)), 'the session wrote a log').toBe(true);
    expect(haystacks.some((h) => h.where.endsWith('settings.json'))).toBe(true);
    expect(haystacks.some((h) => h.where.startsWith(crashReportsDir(home))), 'the crash report is searched').toBe(true);
    expect(haystacks.some((h) => h.where.endsWith('wallet.mnemonic.secret')), 'the encrypted phrase is on disk').toBe(true);
    const found = haystacks.flatMap((h) => needles.filter(([, re]) => re.test(h.text)).map(([what]) => `${what} in ${h.where}`));
    expect(found).toEqual([]);
    // The check can fail: the allowed answers do contain the phrase.
    expect(allowed.filter((t) => needles[0]![1].test(t))).toHaveLength(2);
    expect(sentToPage.length).toBeGreaterThan(30);
  });
});

/** The entries of a zip (local headers in order; stored or deflated), as text. */
function unzip(zip: Buffer): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  let at = 0;
  while (at + 30 <= zip.length && zip.readUInt32LE(at) === 0x04034b50) {
    const method = zip.readUInt16LE(at + 8);
    const size = zip.readUInt32LE(at + 18);
    const nameLen = zip.readUInt16LE(at + 26);
    const extraLen = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 30, at + 30 + nameLen).toString('utf8');
    const start = at + 30 + nameLen + extraLen;
    const body = zip.subarray(start, start + size);
    out.push({ name, text: (method === 8 ? inflateRawSync(body) : body).toString('latin1') });
    at = start + size;
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

async function filesUnder(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push({ file: full, text: (await readFile(full)).toString('latin1') });
  }
  return out;
}
