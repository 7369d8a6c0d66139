import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../api/dispatch.js';
import type { DiagnosticsReport } from '../api/schemas/diagnostics.js';
import type { ProviderPlan } from '../api/schemas/chain.js';
import { privateKeyOf } from '../provider/chain/key-export.js';
import { certificateKeyPassword } from '../provider/chain/provider-cert.js';
import { TYPE_URL } from '../provider/chain/registry.js';
import { PROVIDER_CONFIG_NODE_DIR, readNodeFile } from '../provider/stack/node-file.js';
import { testDockerEngine } from '../../test/docker/engine.js';
import { readProviderPemLikeGo, refreshScriptDecision } from '../../test/akash-provider-pem.js';
import { nodeList, useKubectlScenario } from '../../test/stack/kubectl-standin.js';
import type { Agent } from './agent.js';
import { certHandoffEnv, type CertHandoffEnv } from '../../test/stack/cert-handoff-env.js';
import { firstCertificateBlock } from './provider-cert/provider-cert-sync.js';

const PASSPHRASE = 'provider cert renewal passphrase';
const CHAIN_ID = 'riglease-testnode-1';
const DOMAIN = 'cert-renewal.example.org';
const PEM_PATH = `${PROVIDER_CONFIG_NODE_DIR}/provider.pem`;
const DAY = 86_400_000;

const engine = await testDockerEngine();
const d = engine.ok ? describe : describe.skip;
const docker = () => {
  if (!engine.ok) throw new Error(engine.reason);
  return engine.docker;
};
if (!engine.ok) console.warn(`provider certificate renewal tests skipped: ${engine.reason}`);

/**
 * Renewal end to end through the agent: a certificate near expiry is reported (diagnostics,
 * `provider.show`), `provider.register` publishes a new one while the old one, still in the k3s
 * node's /config/provider.pem, stays valid; the one-minute check writes the new file; the next
 * `provider.register` revokes the old one. Real Docker (k3s stand-in), real cosmjs, chain test node.
 */
d('the provider certificate is renewed before expiry and the replaced one revoked after the node has the new one', () => {
  let agent: Agent;
  const prefix = `rlr-${process.pid.toString(36)}`;
  let mnemonic: string;
  let address: string;
  let node: CertHandoffEnv['node'];
  let env: CertHandoffEnv | undefined;

  beforeAll(async () => {
    if (!engine.ok) return;
    env = await certHandoffEnv(docker(), engine.host, { prefix, domain: DOMAIN, passphrase: PASSPHRASE, chainId: CHAIN_ID });
    ({ agent, node, mnemonic, address } = env);
  });

  afterAll(async () => {
    await env?.stop();
  });

  async function call<T>(method: string, input: unknown = {}): Promise<T> {
    const r = await dispatch(agent.handlers, method as never, input as never, { via: 'internal' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return r.value as T;
  }
  async function register(): Promise<{ plan: ProviderPlan; alreadyDone: boolean }> {
    const started = await call<{ task: { id: string } | null }>('provider.register', {});
    const snap = await agent.tasks.wait(started.task!.id);
    expect(snap.error).toBeUndefined();
    return snap.result as { plan: ProviderPlan; alreadyDone: boolean };
  }
  const certCheck = async () => (await call<DiagnosticsReport>('diagnostics.checks')).checks.find((c) => c.id === 'chain.provider-certificate');
  const states = () => new Map(node.chain.state.certificates.filter((c) => c.owner === address).map((c) => [c.serial, c.state]));
  const serialOfFile = (pem: string | null) => {
    const block = pem ? firstCertificateBlock(pem) : null;
    return block ? BigInt(`0x${new X509Certificate(block).serialNumber}`).toString() : null;
  };

  let first = '';
  let second = '';
  let calls: () => Promise<string[]> = async () => [];

  /** The provider pod as `kubectl get pod akash-provider-0 -n akash-services -o json` prints it (v1 Pod, running since `startedAt`). */
  const providerPod = (startedAt: Date) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'akash-provider-0', namespace: 'akash-services' },
    status: { phase: 'Running', containerStatuses: [{ name: 'provider', ready: true, restartCount: 0, state: { running: { startedAt: startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z') } } }] },
  });

  it('a registered certificate 25 days from expiry: handed to the node, then reported by diagnostics and provider.show', async () => {
    const chain = await agent.chain();
    chain.provider.now = () => new Date(Date.now() - 340 * DAY);
    const reg = await register();
    chain.provider.now = () => new Date();
    first = reg.plan.certificate.serial!;
    const up = await call<{ id: string }>('stack.up');
    expect((await agent.tasks.wait(up.id)).error).toBeUndefined();
    expect(serialOfFile(await readNodeFile(docker(), prefix, PEM_PATH))).toBe(first);

    const check = await certCheck();
    expect(check).toMatchObject({ status: 'warn', why: expect.stringMatching(/expires in 2[45] days/), fix: expect.stringContaining('riglease provider register') });
    const shown = await call<{ certificate: { serial: string; renewDue: boolean; daysLeft: number } }>('provider.show');
    expect(shown.certificate).toMatchObject({ serial: first, renewDue: true });
  }, 120_000);

  it('provider.register renews; the old certificate stays valid while /config/provider.pem holds it, and the minute check writes the new one and restarts the provider', async () => {
    // k3s cannot be asked about the provider pod yet (no kubectl in the stand-in): nothing that might be in use is revoked.
    const dry = await call<{ plan: ProviderPlan }>('provider.register', { dryRun: true });
    expect(dry.plan.certificate).toMatchObject({ needed: true, revoke: [], keep: [{ serial: first, reason: expect.stringContaining('kubectl') }] });
    // From now on the provider pod runs, started an hour ago with the file that holds the old certificate.
    ({ calls } = await useKubectlScenario(docker().getContainer(`${prefix}-k3s`), { nodes: nodeList(), pods: [providerPod(new Date(Date.now() - 3600_000))] }));
    expect((await call<{ plan: ProviderPlan }>('provider.register', { dryRun: true })).plan.certificate).toMatchObject({ revoke: [], keep: [{ serial: first, reason: expect.stringContaining('/config/provider.pem') }] });
    const reg = await register();
    second = reg.plan.certificate.serial!;
    expect(reg.plan.messages.map((m) => m.typeUrl)).toEqual([TYPE_URL.createCertificate]);
    expect(states()).toEqual(new Map([[first, 'valid'], [second, 'valid']]));
    // The provider chart, restarted now, would keep the old file: its certificate is still valid on chain.
    expect(refreshScriptDecision(await readNodeFile(docker(), prefix, PEM_PATH), address, node.chain.state.certificates)).toEqual({ generatesNewCert: false });

    // The minute check writes the new file over the old one and restarts the provider pod so it loads it.
    expect(await agent.providerCert.reconcile()).toMatchObject({ serial: second, restarted: { ok: true } });
    expect(await calls()).toContain('delete pod akash-provider-0 -n akash-services --wait=false --ignore-not-found');
    const file = await readNodeFile(docker(), prefix, PEM_PATH);
    expect(serialOfFile(file)).toBe(second);
    const { cert } = readProviderPemLikeGo(file!, await certificateKeyPassword(await privateKeyOf(mnemonic), address));
    expect(cert.checkHost(`provider.${DOMAIN}`)).toBe(`provider.${DOMAIN}`);
    expect((await certCheck())?.status).toBe('ok');
  }, 120_000);

  it('once the provider runs with the new certificate, the next provider.register revokes the replaced one; the chart keeps the file', async () => {
    // Still the pod from before the write (it serves the old certificate): kept.
    const stale = await call<{ plan: ProviderPlan }>('provider.register', { dryRun: true });
    expect(stale.plan.certificate).toMatchObject({ revoke: [], keep: [{ serial: first, reason: expect.stringMatching(/serves the one it loaded then until it restarts/) }] });
    // The restarted pod, started after the file was written (mtime has whole seconds).
    ({ calls } = await useKubectlScenario(docker().getContainer(`${prefix}-k3s`), { nodes: nodeList(), pods: [providerPod(new Date(Date.now() + 2000))] }));
    const dry = await call<{ plan: ProviderPlan }>('provider.register', { dryRun: true });
    expect(dry.plan.certificate).toMatchObject({ needed: false, revoke: [first], keep: [] });
    expect(dry.plan.messages.map((m) => m.typeUrl)).toEqual([TYPE_URL.revokeCertificate]);
    expect(Number(dry.plan.fee?.feeUakt)).toBeGreaterThan(0);
    await register();
    expect(states()).toEqual(new Map([[first, 'revoked'], [second, 'valid']]));
    expect(refreshScriptDecision(await readNodeFile(docker(), prefix, PEM_PATH), address, node.chain.state.certificates)).toEqual({ generatesNewCert: false });
    expect((await call<{ certificate: { retired: string[] } }>('provider.show')).certificate.retired).toEqual([]);
    expect((await register()).alreadyDone).toBe(true);
  }, 120_000);
});
