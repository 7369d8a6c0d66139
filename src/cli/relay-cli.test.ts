import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayInfo, RelayStatus } from '../api/schemas/relay.js';
import { wgPublicKey } from '../provider/network/relay-keys.js';
import { bundleCli, runBundledCli, type CliRun } from '../../test/cli-bundle.js';

/** `riglease relay` as a user runs it: the real CLI in separate processes, a throwaway data folder. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-relay-cli-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');

let home: string;
let env: NodeJS.ProcessEnv;
const riglease = (args: string[]): Promise<CliRun> => runBundledCli(MAIN, args, env);

beforeAll(async () => {
  await bundleCli(BUNDLE_DIR);
  home = await mkdtemp(path.join(os.tmpdir(), 'riglease-relay-cli-'));
  env = { PATH: process.env['PATH'], RIGLEASE_HOME: home, RIGLEASE_PASSPHRASE: 'relay test passphrase: 7 long words here!' };
}, 120_000);

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(BUNDLE_DIR, { recursive: true, force: true });
});

async function everyFileUnder(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const texts = await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(path.join(e.parentPath, e.name), 'utf8')));
  return texts.join('\n');
}

describe('riglease relay', () => {
  it('status before init says it is not set up, with the command that fixes it', async () => {
    const r = await riglease(['relay', 'status', '--json']);
    expect(r.code).toBe(0);
    const s = RelayStatus.parse(JSON.parse(r.stdout));
    expect(s.state).toBe('not_set_up');
    expect(s.fix).toContain('riglease relay init --endpoint');
  });

  it('init refuses a WireGuard port the relay forwards, and a missing endpoint (exit code 2, a usage error)', async () => {
    const taken = await riglease(['relay', 'init', '--endpoint', '203.0.113.7:30010']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('Port 30010 is one the relay forwards');
    expect((await riglease(['relay', 'init'])).code).toBe(2);
  });

  it('init makes the keys; the script holds only the server\u2019s private key; the rig\u2019s is nowhere in output, settings or logs', async () => {
    const init = await riglease(['relay', 'init', '--endpoint', '203.0.113.7:51820', '--json']);
    expect(init.code).toBe(0);
    const info = RelayInfo.parse(JSON.parse(init.stdout));
    expect(info.newKeys).toBe(true);
    expect(info.publicAddress).toBe('203.0.113.7');

    const again = RelayInfo.parse(JSON.parse((await riglease(['relay', 'init', '--endpoint', '203.0.113.7:51820', '--json'])).stdout));
    expect(again.newKeys).toBe(false);
    expect(again.rigPublicKey).toBe(info.rigPublicKey);

    const script = await riglease(['relay', 'setup-script', '--bash']);
    expect(script.code).toBe(0);
    const keys = [...script.stdout.matchAll(/PrivateKey = ([A-Za-z0-9+/=]{44})/g)].map((m) => m[1]!);
    expect(keys).toHaveLength(1);
    expect(wgPublicKey(keys[0]!)).toBe(info.relayPublicKey);
    expect(script.stdout).toContain(`PublicKey = ${info.rigPublicKey}`);

    // The rig's private key: only the encrypted secret holds it, so no file shows any base64 key whose public key is the rig's.
    const everything = `${init.stdout}${init.stderr}${script.stderr}${await everyFileUnder(home)}`;
    for (const m of everything.matchAll(/[A-Za-z0-9+/]{43}=/g)) {
      let pub = '';
      try {
        pub = wgPublicKey(m[0]);
      } catch {
        continue;
      }
      expect(pub).not.toBe(info.rigPublicKey);
    }
  }, 30_000);

  it('setup-script without a flag prints the three ways with the warning first', async () => {
    const r = await riglease(['relay', 'setup-script']);
    expect(r.stdout.split('\n')[0]).toMatch(/^WARNING: This holds your server/);
    expect(r.stdout).toContain("riglease relay setup-script --bash | ssh root@203.0.113.7 'bash -s'");
    expect(r.stdout).toContain('#cloud-config');
    expect(r.stdout).toContain('UDP 30000-30099');
  });

  it('status after init: off until `relay up`', async () => {
    const s = RelayStatus.parse(JSON.parse((await riglease(['relay', 'status', '--json'])).stdout));
    expect(s.state).toBe('off');
    expect(s.fix).toContain('riglease relay up');
  });
});
