import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch.js';
import { privateKeyOf } from '../provider/chain/key-export.js';
import { certificateKeyPassword } from '../provider/chain/provider-cert.js';
import { execIn } from '../provider/stack/exec.js';
import { PROVIDER_CONFIG_NODE_DIR, readNodeFile } from '../provider/stack/node-file.js';
import { pathsUnder } from '../store/paths.js';
import { testDockerEngine } from '../../test/docker/engine.js';
import { readProviderPemLikeGo, refreshScriptDecision } from '../../test/akash-provider-pem.js';
import type { Agent } from './agent.js';
import { certHandoffEnv, type CertHandoffEnv } from '../../test/stack/cert-handoff-env.js';

const PASSPHRASE = 'provider cert test passphrase';
const CHAIN_ID = 'riglease-testnode-1';
const DOMAIN = 'cert-handoff.example.org';
const PEM_PATH = `${PROVIDER_CONFIG_NODE_DIR}/provider.pem`;

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
const docker = () => {
  if (!engine.ok) throw new Error(engine.reason);
  return engine.docker;
};
if (!engine.ok) console.warn(`provider certificate hand-off tests skipped: ${engine.reason}`);

d('the registered provider certificate is handed to the provider pod as /config/provider.pem', () => {
  let home: string;
  let agent: Agent;
  const prefix = `rlc-${process.pid.toString(36)}`;
  let mnemonic: string;
  let address: string;
  let node: CertHandoffEnv['node'];
  let env: CertHandoffEnv | undefined;

  beforeAll(async () => {
    if (!engine.ok) return;
    env = await certHandoffEnv(docker(), engine.host, { prefix, domain: DOMAIN, passphrase: PASSPHRASE, chainId: CHAIN_ID });
    ({ agent, node, home, mnemonic, address } = env);
  });

  afterAll(async () => {
    await env?.stop();
  });

  async function up(): Promise<void> {
    const ref = await dispatch(agent.handlers, 'stack.up', {}, { via: 'internal' });
    if (!ref.ok) throw new Error(JSON.stringify(ref.error));
    const snap = await agent.tasks.wait((ref.value as { id: string }).id);
    expect(snap.error).toBeUndefined();
  }

  async function modeOf(file: string): Promise<string> {
    const r = await execIn(docker().getContainer(`${prefix}-k3s`), ['busybox', 'stat', '-c', '%a %u', file], { timeoutMs: 10_000 });
    return r.stdout.trim();
  }

  it('before registration there is nothing to hand over; after it, up writes the registered certificate (0600) before the charts', async () => {
    await up();
    expect(await readNodeFile(docker(), prefix, PEM_PATH)).toBeNull();
    expect(await agent.providerCert.reconcile()).toMatchObject({ state: 'skipped' });

    const reg = await dispatch(agent.handlers, 'provider.register', {}, { via: 'internal' });
    if (!reg.ok) throw new Error(JSON.stringify(reg.error));
    expect((await agent.tasks.wait((reg.value as { task: { id: string } }).task.id)).error).toBeUndefined();
    const certs = node.chain.state.certificates.filter((c) => c.owner === address);
    expect(certs).toHaveLength(1);
    const registered = Buffer.from(certs[0]!.cert).toString('utf8');

    // The k3s container is gone (data volumes kept) and `up` creates it again: the file is written after k3s starts, before the charts.
    await docker().getContainer(`${prefix}-k3s`).remove({ force: true });
    await up();
    const onNode = await readNodeFile(docker(), prefix, PEM_PATH);
    expect(onNode).not.toBeNull();
    expect(await modeOf(PEM_PATH)).toBe('600 0');
    // Its certificate is the one on chain, byte for byte (line endings aside).
    expect(onNode!.slice(0, onNode!.indexOf('-----END CERTIFICATE-----'))).toBe(registered.replace(/\r\n/g, '\n').slice(0, registered.indexOf('-----END CERTIFICATE-----')));
    // The chart's refresh script keeps it (no second certificate) and provider-services opens its key.
    expect(refreshScriptDecision(onNode, address, node.chain.state.certificates)).toEqual({ generatesNewCert: false });
    const password = await certificateKeyPassword(await privateKeyOf(mnemonic), address);
    const { cert } = readProviderPemLikeGo(onNode!, password);
    expect(BigInt(`0x${cert.serialNumber}`).toString()).toBe(certs[0]!.serial);
    expect(cert.checkHost(`provider.${DOMAIN}`)).toBe(`provider.${DOMAIN}`);
    expect(await agent.providerCert.reconcile()).toEqual({ state: 'written', serial: certs[0]!.serial });
  }, 120_000);

  it('the one-minute check puts it back when the node lost it (container recreated outside RigLease), byte-identical', async () => {
    const before = await readNodeFile(docker(), prefix, PEM_PATH);
    expect(before).toMatch(/ENCRYPTED PRIVATE KEY/);
    // Recreated from the same image: the node folder is empty again.
    await execIn(docker().getContainer(`${prefix}-k3s`), ['rm', '-f', PEM_PATH], { timeoutMs: 10_000 });
    expect(await readNodeFile(docker(), prefix, PEM_PATH)).toBeNull();
    const r = await agent.providerCert.reconcile();
    // The stand-in has no `mv`, so the file is written in place there; the real k3s image renames a temp file over it.
    expect(['written', 'in-place']).toContain(r.state);
    expect(await readNodeFile(docker(), prefix, PEM_PATH)).toBe(before);
    expect(await modeOf(PEM_PATH)).toBe('600 0');
    // A file of someone else's (the chart's own certificate) is replaced by ours too.
    await execIn(docker().getContainer(`${prefix}-k3s`), ['sh', '-c', `printf 'not ours' > ${PEM_PATH}`], { timeoutMs: 10_000 });
    await agent.providerCert.reconcile();
    expect(await readNodeFile(docker(), prefix, PEM_PATH)).toBe(before);

    // Nothing of the key is in RigLease's logs or state outside the encrypted store.
    const keyLine = before!.split('\n').find((l, i, all) => i > all.indexOf('-----BEGIN ENCRYPTED PRIVATE KEY-----') && l.length > 40)!;
    const log = await readFile(path.join(pathsUnder(home).logsDir, 'agent.log'), 'utf8');
    expect(log).toContain('provider certificate written');
    expect(log).not.toContain(keyLine);
  }, 120_000);
});
