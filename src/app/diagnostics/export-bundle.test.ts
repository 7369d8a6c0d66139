import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Bip39 } from '@cosmjs/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../api/dispatch.js';
import type { DiagnosticsExportResult } from '../../api/schemas/diagnostics.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { pathsUnder, type Paths } from '../../store/paths.js';
import { fileLogger } from '../../util/logger.js';
import { fakeNvidiaSmiEnv } from '../../../test/fake-nvidia-smi/index.js';
import { TEST_DOCKER_HOST } from '../../../test/docker/engine.js';
import { Agent } from '../agent.js';

/** Real secrets of every kind the issue names, generated fresh for this run. */
const mnemonic = Bip39.encode(randomBytes(32)).toString();
const mnemonic12 = Bip39.encode(randomBytes(16)).toString();
const privateKeyHex = randomBytes(32).toString('hex');
const serverToken = randomBytes(32).toString('base64url');
const apiKey = `ak_${randomBytes(18).toString('base64url')}`;
const joinToken = `K10${randomBytes(32).toString('hex')}::server:${randomBytes(16).toString('hex')}`;
/** A public Cosmos tx hash: it must survive, or the bundle cannot say which transaction is pending. */
const txHash = randomBytes(32).toString('hex').toUpperCase();
const passphrase = `pass-${randomBytes(9).toString('base64url')}`;

const SECRETS: Record<string, string> = {
  mnemonic,
  mnemonic12,
  privateKeyHex,
  privateKeyHexUpper: privateKeyHex.toUpperCase(),
  serverToken,
  apiKey,
  joinToken,
  joinPassword: joinToken.split(':').pop()!,
  passphrase,
};

let home: string;
let paths: Paths;
let agent: Agent;

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(abs)));
    else out.push(abs);
  }
  return out;
}

/** True when any 3 consecutive words of the phrase survive, whatever joins them. */
function holdsPhrase(text: string, phrase: string): boolean {
  const letters = ` ${text.toLowerCase().replace(/[^a-z]+/g, ' ')} `;
  const words = phrase.split(' ');
  for (let i = 0; i + 3 <= words.length; i++) if (letters.includes(` ${words.slice(i, i + 3).join(' ')} `)) return true;
  return false;
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-diag-'));
  paths = pathsUnder(home);
  // The real encrypted secret store holds the wallet phrase, as in the app.
  const store = passphraseSecretStore(paths.secretsDir, async () => passphrase);
  await store.set('wallet-mnemonic', mnemonic);

  // Logs the way old versions, child processes and crash dumps leave them: secrets in plain text.
  await put(
    path.join(paths.logsDir, 'agent.log'),
    [
      JSON.stringify({ t: '2026-11-30T10:00:00Z', level: 'info', c: 'cli', msg: 'hardware scan', durationMs: 812, verdict: 'ready' }),
      JSON.stringify({ t: '2026-11-30T10:00:01Z', level: 'debug', c: 'chain', msg: `imported wallet from ${mnemonic}` }),
      JSON.stringify({ t: '2026-11-30T10:00:02Z', level: 'debug', c: 'server', msg: 'request', headers: { Authorization: `Bearer ${serverToken}` }, note: `open http://127.0.0.1:7878/?token=${serverToken}` }),
      `panic: signer key=${privateKeyHex}`,
      `unlocked with ${passphrase}`,
    ].join('\n'),
  );
  await put(path.join(paths.logsDir, 'agent.log.1'), `words: ${mnemonic12.split(' ').map((w, i) => `${i + 1}.${w}`).join(' ')}\n`);
  await put(path.join(paths.logsDir, 'k3s.log'), `time="2026-11-30" level=info msg="Node token is ${joinToken}"\nK3S_TOKEN=${joinToken}\nprivate key 0x${privateKeyHex.toUpperCase()}\n`);
  // Valid settings with a secret hidden in an RPC URL.
  await put(paths.settingsFile, JSON.stringify({ version: 1, data: { chain: { customRpc: [`https://rpc.example.com/?apikey=${apiKey}`], provider: { hostUri: 'https://provider.rig.example.com:8443' } } } }));
  // A damaged settings file set aside earlier, holding the phrase under an innocent key.
  await put(`${paths.settingsFile}.corrupt-2026-11-29T10-00-00-000Z`, JSON.stringify({ version: 1, data: { note: mnemonic, words: mnemonic12.split(' ') } }));
  await put(path.join(paths.stateDir, 'wallet.json'), JSON.stringify({ version: 1, data: { address: 'akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3mhz5x', source: 'imported', createdAt: null, pendingTxs: [{ hash: txHash, kind: 'send', at: 'x' }], certificateSerial: null, certificatePem: null } }));
  await put(path.join(paths.stateDir, 'k3s-join.json'), JSON.stringify({ version: 1, data: { server: 'https://10.0.0.2:6443', value: joinToken, signer: privateKeyHex, k3sToken: joinToken } }, null, 2));
  await put(path.join(paths.stateDir, 'stack', 'provider.env'), `AKASH_KEY=${privateKeyHex}\nAPI_TOKEN=${apiKey}\nAKASH_FROM=provider\n`);
  // Secret stores in the wrong place, and an encrypted blob with an innocent name: never included.
  await put(path.join(paths.stateDir, 'old-wallet.secret'), mnemonic);
  await put(path.join(paths.stateDir, 'backup.json'), JSON.stringify({ v: 1, kdf: 'scrypt', salt: 'x'.repeat(24), iv: 'y'.repeat(16), tag: 'z'.repeat(24), data: Buffer.from(mnemonic).toString('base64') }));
  await put(path.join(paths.historyDir, 'availability.jsonl'), `${JSON.stringify({ at: 1, state: 'online', note: `seed ${mnemonic12}` })}\n`);

  agent = new Agent({
    host: 'cli',
    paths,
    secrets: store,
    logger: fileLogger(paths.logsDir, 'cli'),
    version: '0.0.0-test',
    env: { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: TEST_DOCKER_HOST, RIGLEASE_PASSPHRASE: passphrase },
  });
});

afterAll(async () => {
  await agent?.stop();
  await rm(home, { recursive: true, force: true });
});

describe('diagnostics export', () => {
  it('writes a valid zip with logs, settings, state and the hardware report, and no secret anywhere in it', async () => {
    const target = path.join(home, 'out', 'bundle.zip');
    const env = await dispatch(agent.handlers, 'diagnostics.export', { path: target }, { via: 'internal' });
    if (!env.ok) throw new Error(JSON.stringify(env.error));
    const result = env.value as DiagnosticsExportResult;
    expect(result.path).toBe(target);
    expect((await stat(target)).size).toBe(result.bytes);

    // A real unzip: Python's zipfile checks every CRC, then extracts.
    expect(execFileSync('python3', ['-m', 'zipfile', '-t', target], { encoding: 'utf8' })).toContain('Done testing');
    const out = path.join(home, 'unzipped');
    execFileSync('python3', ['-m', 'zipfile', '-e', target, out]);
    const files = (await walk(out)).map((f) => path.relative(out, f).split(path.sep).join('/')).sort();
    expect(files).toEqual([...result.files].sort());
    for (const f of ['README.txt', 'hardware-report.json', 'diagnostic-checks.json', 'settings.json', 'logs/agent.log', 'logs/agent.log.1', 'logs/k3s.log', 'state/wallet.json', 'state/k3s-join.json', 'state/stack/provider.env', 'history/availability.jsonl']) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
    // Secret stores are left out and say so.
    for (const f of files) expect(f).not.toMatch(/secret|backup\.json/);
    expect(result.leftOut.map((l) => l.file).sort()).toEqual(['secrets', 'state/backup.json', 'state/old-wallet.secret']);

    // Not one secret, in any file, in any form the patterns know. The raw zip bytes too (stored entries).
    const texts = await Promise.all((await walk(out)).map(async (f) => ({ f, text: await readFile(f, 'utf8') })));
    texts.push({ f: 'raw zip', text: (await readFile(target)).toString('latin1') });
    for (const { f, text } of texts) {
      for (const [kind, secret] of Object.entries(SECRETS)) expect(text.includes(secret), `${kind} found in ${f}`).toBe(false);
      expect(holdsPhrase(text, mnemonic), `24-word phrase in ${f}`).toBe(false);
      expect(holdsPhrase(text, mnemonic12), `12-word phrase in ${f}`).toBe(false);
    }

    // What helps a bug report is still there.
    const read = (name: string) => texts.find((t) => t.f === path.join(out, name))!.text;
    expect(read('logs/agent.log')).toContain('"msg":"hardware scan"');
    expect(read('logs/agent.log')).toContain('[redacted]');
    expect(read('settings.json')).toContain('https://provider.rig.example.com:8443');
    expect(read('state/stack/provider.env')).toContain('AKASH_FROM=provider');
    expect(read('state/wallet.json')).toContain('akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3mhz5x');
    expect(read('state/wallet.json')).toContain(txHash);
    const report = JSON.parse(read('hardware-report.json')) as { gpus: { name: string }[] };
    expect(report.gpus[0]?.name).toBe('NVIDIA GeForce RTX 4090');
    const checks = JSON.parse(read('diagnostic-checks.json')) as { checks: { id: string }[] };
    expect(checks.checks.map((c) => c.id)).toContain('files.settings');
  }, 30_000);

  it('refuses to overwrite an existing file and a path that is not a .zip', async () => {
    const existing = path.join(home, 'taken.zip');
    await writeFile(existing, 'mine');
    const taken = await dispatch(agent.handlers, 'diagnostics.export', { path: existing }, { via: 'internal' });
    expect(taken).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await readFile(existing, 'utf8')).toBe('mine');
    const notZip = await dispatch(agent.handlers, 'diagnostics.export', { path: path.join(home, 'x.txt') }, { via: 'internal' });
    expect(notZip).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('without a path, writes a new zip in the data folder that the next export leaves out', async () => {
    const first = await dispatch(agent.handlers, 'diagnostics.export', {}, { via: 'internal' });
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    const p = (first.value as DiagnosticsExportResult).path;
    expect(path.dirname(p)).toBe(path.join(home, 'diagnostics'));
    const second = await dispatch(agent.handlers, 'diagnostics.export', {}, { via: 'internal' });
    if (!second.ok) throw new Error(JSON.stringify(second.error));
    expect((second.value as DiagnosticsExportResult).files.some((f) => f.startsWith('diagnostics/'))).toBe(false);
  }, 30_000);
});
