import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Secp256k1 } from '@cosmjs/crypto';
import { toBech32 } from '@cosmjs/encoding';
import { rawSecp256k1PubkeyToRawAddress } from '@cosmjs/amino';
import { bundleCli, runBundledCli } from '../../test/cli-bundle.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dispatch } from '../api/dispatch.js';
import { StackPlan } from '../api/schemas/stack.js';
import { generateMnemonic } from '../provider/chain/mnemonic.js';
import { privateKeyOf } from '../provider/chain/key-export.js';
import { unarmorPrivateKey } from '../provider/chain/key-armor.js';
import { readManifests } from '../provider/stack/manifest-sync.js';
import { WALLET_COMPONENT, WALLET_REDACTED, WALLET_SECRET } from '../provider/stack/manifests.js';
import { passphraseSecretStore } from '../store/passphrase-secret-store.js';
import { pathsUnder } from '../store/paths.js';
import { fileLogger } from '../util/logger.js';
import { fakeNvidiaSmiEnv } from '../../test/fake-nvidia-smi/index.js';
import { startTestChainNode } from '../simulation/chain-node/server.js';
import { testDockerEngine } from '../../test/docker/engine.js';
import { cleanup, freePortRun, stackStandIn } from '../../test/stack/stack-env.js';
import { Agent } from './agent.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', `riglease-wallet-seam-test-${process.pid}`);
const MAIN = path.join(BUNDLE_DIR, 'cli.js');
const PASSPHRASE = 'wallet seam test passphrase';
const CHAIN_ID = 'riglease-testnode-1';
const DOMAIN = 'wallet-seam.example.org';

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
if (!engine.ok) console.warn(`wallet seam tests skipped: ${engine.reason}`);

/** Every file under `dir` except the encrypted secret store, as text. */
async function filesUnder(dir: string, skip: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(e.parentPath, e.name);
    if (!e.isFile() || full.startsWith(skip)) continue;
    out.push({ file: full, text: await readFile(full, 'utf8') });
  }
  return out;
}

async function addressOfKey(privKey: Uint8Array): Promise<string> {
  const pair = await Secp256k1.makeKeypair(privKey);
  return toBech32('akash', rawSecp256k1PubkeyToRawAddress(Secp256k1.compressPubkey(pair.pubkey)));
}

d('the chain wallet feeds the stack: provider key Secret in k3s, redacted everywhere else', () => {
  let home: string;
  let agent: Agent;
  const prefix = `rlw-${process.pid.toString(36)}`;
  const mnemonic = generateMnemonic();
  let address: string;
  let env: NodeJS.ProcessEnv;
  let node: Awaited<ReturnType<typeof startTestChainNode>>;

  beforeAll(async () => {
    if (!engine.ok) return;
    node = await startTestChainNode({ chainId: CHAIN_ID });
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-wallet-seam-'));
    env = { ...fakeNvidiaSmiEnv({ xml: 'rtx4090_535.86.05_1gpu.xml' }), RIGLEASE_HOME: home, DOCKER_HOST: engine.host, RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: CHAIN_ID };
    const paths = pathsUnder(home);
    agent = new Agent({ host: 'cli', paths, secrets: passphraseSecretStore(paths.secretsDir, async () => PASSPHRASE), logger: fileLogger(paths.logsDir, 'cli'), version: '0.0.0-test', env });
    const base = await freePortRun(4);
    const standIn = await stackStandIn(engine.docker);
    await agent.settings.update((s) => {
      s.stack.namePrefix = prefix;
      s.stack.images.k3s = standIn;
      s.stack.gpus = [];
      // No stack.domain: it comes from the registered host URI. The stack's own attribute list
      // gets an extra the registration does not publish, which the chart must not carry.
      s.stack.attributes = [...s.stack.attributes, { key: 'hardware-cooling', value: 'air' }];
      s.chain.provider = { ...s.chain.provider, hostUri: `https://provider.${DOMAIN}:8443`, email: 'ops@wallet-seam.example.org', locationRegion: 'eu-central', country: 'DE', memoryType: 'ddr5' };
      s.stack.ports = { http: base, https: base + 1, gateway: base + 2, grpc: base + 3, nodePortStart: base + 4, nodePortCount: 0 };
      s.stack.readyTimeoutSec = 0;
      s.stack.minFreeDiskGiB = 0;
    });
    address = (await (await agent.chain()).wallet.importMnemonic(mnemonic, false)).address!;
    node.chain.fund(address, 'uakt', 50_000_000n);
    await bundleCli(path.dirname(MAIN));
  });

  afterAll(async () => {
    if (!engine.ok) return;
    await agent?.stop();
    await node?.stop();
    await cleanup(engine.docker, prefix);
    await rm(BUNDLE_DIR, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('the provider chart publishes exactly what RigLease registered, so its start-up script finds nothing to update', async () => {
    const reg = await dispatch(agent.handlers, 'provider.register', {}, { via: 'internal' });
    if (!reg.ok) throw new Error(JSON.stringify(reg.error));
    const done = await agent.tasks.wait((reg.value as { task: { id: string } }).task.id);
    expect(done.error).toBeUndefined();
    const onChain = node.chain.state.providers.get(address)!;

    const plan = await dispatch(agent.handlers, 'stack.plan', {}, { via: 'internal' });
    if (!plan.ok) throw new Error(JSON.stringify(plan.error));
    const helm = (plan.value as { manifests: { component: string; yaml: string }[] }).manifests.find((m) => m.component === 'akash-provider')!;
    const values = parse((parse(helm.yaml) as { spec: { valuesContent: string } }).spec.valuesContent) as { chainid: string; node: string; domain: string; email: string; website: string; attributes: { key: string; value: string }[] };
    // The chart writes host https://provider.<domain>:8443 and diffs attributes sorted (create_provider.sh).
    expect(`https://provider.${values.domain}:8443`).toBe(onChain.hostUri);
    const sorted = (a: { key: string; value: string }[]) => a.map((x) => `${x.key}=${x.value}`).sort();
    expect(sorted(values.attributes)).toEqual(sorted(onChain.attributes));
    expect(values.attributes.map((a) => a.key)).not.toContain('hardware-cooling');
    expect({ email: values.email, website: values.website }).toEqual({ email: onChain.email, website: onChain.website });
    expect({ chainid: values.chainid, node: values.node }).toEqual({ chainid: CHAIN_ID, node: node.url });
  }, 60_000);

  it('up writes a Secret manifest whose armored key decrypts, with its passphrase, to the wallet key; a second up changes nothing', async () => {
    const ref = await dispatch(agent.handlers, 'stack.up', {}, { via: 'internal' });
    if (!ref.ok) throw new Error(JSON.stringify(ref.error));
    const snap = await agent.tasks.wait((ref.value as { id: string }).id);
    expect(snap.error).toBeUndefined();
    expect(snap.result).toMatchObject({ wallet: 'delivered' });

    if (!engine.ok) return;
    const files = await readManifests(engine.docker.getContainer(`${prefix}-k3s`));
    const helm = parse(files.get('riglease-akash-provider.yaml')!) as { metadata: { namespace: string }; spec: { valuesSecrets: { name: string; keys: string[] }[]; valuesContent: string } };
    expect(helm.spec.valuesSecrets).toEqual([{ name: WALLET_SECRET, keys: ['values.yaml'] }]);
    expect(parse(helm.spec.valuesContent)).toMatchObject({ from: address });

    const secret = parse(files.get(`riglease-${WALLET_COMPONENT}.yaml`)!) as { kind: string; metadata: { name: string; namespace: string }; stringData: Record<string, string> };
    expect(secret).toMatchObject({ kind: 'Secret', metadata: { name: WALLET_SECRET, namespace: helm.metadata.namespace } });
    const values = parse(secret.stringData['values.yaml']!) as { key: string; keysecret: string };
    const armored = Buffer.from(values.key, 'base64').toString('utf8');
    const passphrase = Buffer.from(values.keysecret, 'base64').toString('utf8');
    expect(armored).toMatch(/^-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\nsalt: [0-9A-F]{32}\ntype: secp256k1\n/);
    expect(passphrase.length).toBeGreaterThanOrEqual(8);
    const { privKey } = await unarmorPrivateKey(armored, passphrase);
    expect(Buffer.from(privKey).equals(Buffer.from(await privateKeyOf(mnemonic)))).toBe(true);
    expect(await addressOfKey(privKey)).toBe(address);

    // Idempotent: the export is kept, so the Secret file is byte-identical and nothing is rewritten.
    const again = await dispatch(agent.handlers, 'stack.up', {}, { via: 'internal' });
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    const snap2 = await agent.tasks.wait((again.value as { id: string }).id);
    expect(snap2.result).toMatchObject({ changed: false, manifests: { written: [] } });
    const status = await dispatch(agent.handlers, 'stack.status', {}, { via: 'internal' });
    expect(status.ok && (status.value as { upToDate: boolean }).upToDate).toBe(true);
    // The Secret is not a chart: no status row waits for a Helm job named after it.
    expect(status.ok && (status.value as { components: { name: string }[] }).components.map((c) => c.name)).not.toContain(WALLET_COMPONENT);

    // `riglease stack plan --json` in a new process, with no passphrase at all: planning never decrypts.
    const run = await runBundledCli(MAIN, ['stack', 'plan', '--json'], { ...env, RIGLEASE_PASSPHRASE: '' });
    expect(run.code, run.stderr).toBe(0);
    const plan = StackPlan.parse(JSON.parse(run.stdout));
    expect(plan.manifests.map((m) => m.component)).toContain('akash-provider');
    const planned = plan.manifests.find((m) => m.component === WALLET_COMPONENT)!;
    expect(planned.yaml).toContain(WALLET_REDACTED);
    expect(plan.secretRefs).toContainEqual(expect.objectContaining({ name: WALLET_SECRET, present: true }));

    // No key material in the plan output, nor in any file under RIGLEASE_HOME outside the encrypted store.
    const body = armored.split('\n').slice(5, 6)[0]!;
    const needles = [body, passphrase, values.key.slice(0, 40), values.keysecret, Buffer.from(privKey).toString('hex'), mnemonic.split(' ').slice(0, 4).join(' ')];
    for (const n of needles) expect(run.stdout.includes(n) || run.stderr.includes(n)).toBe(false);
    for (const f of await filesUnder(home, pathsUnder(home).secretsDir)) {
      for (const n of needles) expect(f.text.includes(n), `${f.file} holds key material`).toBe(false);
    }
  }, 120_000);
});
