import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, runBundledCli } from '../../test/cli-bundle.js';
import { FAKE_NVIDIA_SMI, fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { addressOf, generateMnemonic } from '../provider/chain/mnemonic.js';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-wallet-safety-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');
const PASS = 'wallet safety test passphrase';

beforeAll(async () => {
  await bundleCli(BUNDLE_DIR);
}, 120_000);
afterAll(async () => {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
});

const newHome = () => mkdtemp(path.join(os.tmpdir(), 'riglease-wallet-safety-'));
const env = (home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, RIGLEASE_PASSPHRASE: PASS, ...extra });
const cli = (home: string, args: string[], stdin?: string, extra: NodeJS.ProcessEnv = {}) =>
  runBundledCli(MAIN, args, env(home, extra), { timeoutMs: 60_000, ...(stdin === undefined ? {} : { stdin }) });

async function shownAddress(home: string): Promise<string | null> {
  const run = await cli(home, ['wallet', 'address', '--json']);
  return run.code === 0 ? (JSON.parse(run.stdout) as { address: string }).address : null;
}

/** The address of the key actually stored, decrypted straight from the secrets folder. */
async function storedKeyAddress(home: string): Promise<string> {
  const phrase = await passphraseSecretStore(path.join(home, 'secrets'), async () => PASS).get('wallet.mnemonic');
  if (phrase === null) throw new Error('no key stored');
  return addressOf(phrase);
}

/**
 * Starts `wallet import --replace` and SIGKILLs it the moment the encrypted phrase lands on disk
 * (seen through the file system, not through any hook in the product), or at a random moment.
 */
function importKilledAtWrite(home: string, phrase: string, randomKillMs: number): Promise<void> {
  return new Promise((resolve) => {
    const secrets = path.join(home, 'secrets');
    const child = spawn(process.execPath, [MAIN, 'wallet', 'import', '--replace'], { env: env(home), stdio: ['pipe', 'ignore', 'ignore'] });
    const kill = () => child.kill('SIGKILL');
    const watcher = watch(secrets, (_event, name) => {
      if (name === 'wallet.mnemonic.secret') kill();
    });
    const timer = setTimeout(kill, randomKillMs);
    child.once('close', () => {
      clearTimeout(timer);
      watcher.close();
      resolve();
    });
    child.stdin.end(phrase);
  });
}

describe('wallet safety through the real CLI', () => {
  it('a SIGKILL while a wallet is being replaced never leaves the shown address different from the stored key', async () => {
    const home = await newHome();
    const phrases = [generateMnemonic(), generateMnemonic()];
    expect((await cli(home, ['wallet', 'import'], phrases[0])).code).toBe(0);
    let split = 0;
    const runs = 6;
    for (let i = 0; i < runs; i++) {
      await importKilledAtWrite(home, phrases[(i + 1) % 2]!, 400 + Math.floor(Math.random() * 2500));
      const shown = await shownAddress(home);
      const stored = await storedKeyAddress(home);
      if (shown !== stored) split++;
    }
    console.log(`wallet replace killed at the write: ${runs} runs, ${split} left the address and the key disagreeing`);
    expect(split).toBe(0);
  }, 240_000);

  it('with wallet.json damaged, import without --replace refuses and keeps the encrypted phrase byte for byte', async () => {
    const home = await newHome();
    expect((await cli(home, ['wallet', 'import'], generateMnemonic())).code).toBe(0);
    const keyFile = path.join(home, 'secrets', 'wallet.mnemonic.secret');
    const before = await readFile(keyFile, 'utf8');
    await writeFile(path.join(home, 'state', 'wallet.json'), '{"version": 1, "data": {"address": ');
    const run = await cli(home, ['wallet', 'import'], generateMnemonic());
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/already exists/);
    expect(await readFile(keyFile, 'utf8')).toBe(before);
  }, 120_000);

  it('wallet reveal works headless with the right passphrase; wrong ones wait longer each time, across restarts', async () => {
    const home = await newHome();
    const phrase = generateMnemonic();
    expect((await cli(home, ['wallet', 'import'], phrase)).code).toBe(0);
    const ok = await cli(home, ['wallet', 'reveal', '--json'], `${PASS}\n`);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { mnemonic: string }).mnemonic).toBe(phrase);
    // One typo costs nothing; the second wrong passphrase starts the wait.
    for (let i = 0; i < 2; i++) {
      const wrong = await cli(home, ['wallet', 'reveal'], 'not the passphrase here\n');
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toMatch(/Wrong passphrase/);
      expect(wrong.stdout).toBe('');
    }
    // The count is on disk; the wait (2 s after the second) may have passed on a busy machine, so
    // the wait is made long here to see that a new process (a restart) honours it and says until when.
    const attemptsFile = path.join(home, 'state', 'reveal-attempts.json');
    const attempts = JSON.parse(await readFile(attemptsFile, 'utf8')) as { version: number; data: { failures: number; notBefore: number } };
    expect(attempts.data.failures).toBe(2);
    await writeFile(attemptsFile, JSON.stringify({ ...attempts, data: { ...attempts.data, notBefore: Date.now() + 600_000 } }));
    const soon = await cli(home, ['wallet', 'reveal'], `${PASS}\n`);
    expect(soon.code).not.toBe(0);
    expect(soon.stderr).toMatch(/try again after \d{4}-\d\d-\d\dT/);
    expect(soon.stdout).toBe('');
  }, 120_000);

  it('wallet create refuses a weak passphrase before it shows any word', async () => {
    const home = await newHome();
    const run = await cli(home, ['wallet', 'create'], '', { RIGLEASE_PASSPHRASE: 'password' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/too easy to guess/);
    expect(run.stdout).not.toMatch(/Recovery phrase/);
    expect(run.stdout).toBe('');
  }, 60_000);

  it('RIGLEASE_PASSPHRASE never reaches a child process (nvidia-smi dumps its environment)', async () => {
    const home = await newHome();
    const dump = path.join(home, 'nvidia-smi-env.txt');
    const bin = path.join(home, 'bin');
    await mkdir(bin);
    const wrapper = path.join(bin, 'nvidia-smi');
    await writeFile(wrapper, `#!/bin/sh\nenv >> '${dump}'\nexec '${FAKE_NVIDIA_SMI}' "$@"\n`);
    await chmod(wrapper, 0o755);
    const run = await cli(home, ['hardware', '--json'], undefined, { RIGLEASE_NVIDIA_SMI: wrapper });
    expect(run.code).toBe(0);
    const seen = await readFile(dump, 'utf8');
    expect(seen).toContain('RIGLEASE_HOME=');
    expect(seen).not.toContain('RIGLEASE_PASSPHRASE');
    expect(seen).not.toContain(PASS);
  }, 60_000);
});
