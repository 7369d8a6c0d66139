import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainSettings } from '../../api/schemas/settings/chain.js';
import { passphraseSecretStore } from '../../store/passphrase-secret-store.js';
import { silentLogger } from '../../util/logger.js';
import { startTestChainNode } from '../../simulation/chain-node/server.js';
import { rtx4090Report } from '../../simulation/chain-node/sample-report.js';
import { generateMnemonic } from './mnemonic.js';
import { createChainService, type ChainService } from './index.js';
import type { PemInUse } from './provider-service.js';
import { TYPE_URL } from './registry.js';

const CHAIN_ID = 'riglease-testnode-1';
const DAY = 86_400_000;
const noProgress = { step: () => undefined };

/**
 * Renewal before expiry and revocation of replaced certificates, real cosmjs clients against the
 * chain test node. Which certificate the provider pod reads (/config/provider.pem) is a probe here;
 * src/app/provider-cert-renewal.test.ts runs the same with the real node file in a k3s stand-in.
 */
describe('provider certificate: renewed 30 days ahead, replaced ones revoked once the provider no longer reads them', () => {
  let node: Awaited<ReturnType<typeof startTestChainNode>>;
  let svc: ChainService;
  let home: string;
  let owner: string;
  let inUse: PemInUse = { known: true, serial: null };
  let hostUri = 'https://provider.renew.example.com:8443';
  const settings = () => ChainSettings.parse({ txTimeoutMs: 5000, provider: { hostUri, email: 'ops@renew.example.com', locationRegion: 'eu-central', country: 'DE', memoryType: 'ddr5' } });
  const certsOnChain = () => new Map(node.chain.state.certificates.filter((c) => c.owner === owner).map((c) => [c.serial, c.state]));
  const register = async () => {
    const s = settings();
    return svc.provider.register(rtx4090Report(), s.provider, noProgress);
  };
  const plan = async () => svc.provider.plan(rtx4090Report(), settings().provider);

  beforeAll(async () => {
    node = await startTestChainNode({ chainId: CHAIN_ID });
    home = await mkdtemp(path.join(os.tmpdir(), 'riglease-cert-renew-'));
    svc = createChainService({
      secrets: passphraseSecretStore(path.join(home, 'secrets'), async () => 'renewal passphrase'),
      stateDir: path.join(home, 'state'),
      env: { RIGLEASE_CHAIN_RPC: node.url, RIGLEASE_CHAIN_ID: CHAIN_ID },
      logger: silentLogger,
      settings: async () => ({ network: 'mainnet', chain: settings() }),
      providerPemInUse: async () => inUse,
    });
    owner = (await svc.wallet.importMnemonic(generateMnemonic(), false)).address!;
    node.chain.fund(owner, 'uakt', 50_000_000n);
  });
  afterAll(async () => {
    svc?.stop();
    await node?.stop();
    await rm(home, { recursive: true, force: true });
  });

  let first = '';
  let second = '';

  it('a certificate 25 days from expiry is shown as due (provider show), and the plan renews it with a fee, keeping the one the provider reads', async () => {
    // Registered 340 days ago (valid 365): it expires in 25 days.
    svc.provider.now = () => new Date(Date.now() - 340 * DAY);
    const reg = await register();
    expect(reg.alreadyDone).toBe(false);
    first = reg.plan.certificate.serial!;
    svc.provider.now = () => new Date();

    const shown = await svc.provider.show();
    expect(shown.certificate).toMatchObject({ serial: first, state: 'valid', renewDue: true, retired: [] });
    expect([24, 25]).toContain(shown.certificate!.daysLeft);
    expect(shown.certificate!.note).toMatch(/expires in 2[45] days .*riglease provider register/);

    // The pod reads that certificate now: it is kept valid (and said so), the new one is published with a simulated fee.
    inUse = { known: true, serial: first };
    const p = await plan();
    expect(p.action).toBe('none');
    expect(p.certificate).toMatchObject({ needed: true, revoke: [], keep: [{ serial: first, reason: expect.stringContaining('/config/provider.pem') }] });
    expect(p.messages.map((m) => m.typeUrl)).toEqual([TYPE_URL.createCertificate]);
    expect(Number(p.fee?.feeUakt)).toBeGreaterThan(0);
    expect(p.warnings.join(' ')).toMatch(/expires within 30 days/);
    expect(Date.parse(p.certificate.expiresAt!) - Date.now()).toBeGreaterThan(364 * DAY);
    // Not knowing which one the pod reads (engine down) keeps it too.
    inUse = { known: false, reason: 'connect ENOENT /var/run/docker.sock' };
    expect((await plan()).certificate).toMatchObject({ revoke: [], keep: [{ serial: first, reason: expect.stringContaining('ENOENT') }] });
    expect(certsOnChain()).toEqual(new Map([[first, 'valid']]));
  });

  it('register renews: the new certificate is published, the one in /config/provider.pem stays valid and is remembered', async () => {
    inUse = { known: true, serial: first };
    const reg = await register();
    second = reg.plan.certificate.serial!;
    expect(second).not.toBe(first);
    expect(reg.receipt?.hash).toMatch(/^[0-9A-F]{64}$/);
    expect(certsOnChain()).toEqual(new Map([[first, 'valid'], [second, 'valid']]));
    const record = await svc.wallet.record();
    expect(record).toMatchObject({ certificateSerial: second, retiredCertificates: [first] });
    const shown = await svc.provider.show();
    expect(shown.certificate).toMatchObject({ serial: second, renewDue: false, retired: [first] });
    expect(shown.certificate!.daysLeft).toBeGreaterThanOrEqual(364);
    // While the pod still reads the old one, there is nothing to send.
    expect(await register()).toMatchObject({ alreadyDone: true, receipt: null });
  });

  it('once the new one is in /config/provider.pem, the next register revokes the old one (a tx with only MsgRevokeCertificate)', async () => {
    inUse = { known: true, serial: second };
    const p = await plan();
    expect(p.certificate).toMatchObject({ needed: false, serial: second, revoke: [first], keep: [] });
    expect(p.messages).toEqual([{ typeUrl: TYPE_URL.revokeCertificate, value: { id: { owner, serial: first } } }]);
    const reg = await register();
    expect(reg.alreadyDone).toBe(false);
    expect(certsOnChain()).toEqual(new Map([[first, 'revoked'], [second, 'valid']]));
    expect((await svc.wallet.record()).retiredCertificates).toEqual([]);
    expect((await svc.provider.show()).certificate?.retired).toEqual([]);
    expect(await register()).toMatchObject({ alreadyDone: true });
  });

  it('forgets a replaced certificate that is no longer valid on chain (revoked elsewhere) without sending anything', async () => {
    await svc.wallet.updateRecord((r) => {
      r.retiredCertificates = [first];
    });
    expect((await svc.provider.show()).certificate?.retired).toEqual([]);
    expect(await register()).toMatchObject({ alreadyDone: true, receipt: null });
    expect((await svc.wallet.record()).retiredCertificates).toEqual([]);
  });

  it('with no provider reading it (no stack), the replaced certificate is revoked in the same transaction that publishes its successor', async () => {
    inUse = { known: true, serial: null };
    // A new host needs a new certificate (and a provider update): all three messages in one tx.
    hostUri = 'https://provider.moved.example.com:8443';
    const reg = await register();
    const third = reg.plan.certificate.serial!;
    expect(reg.plan.messages.map((m) => m.typeUrl)).toEqual([TYPE_URL.updateProvider, TYPE_URL.createCertificate, TYPE_URL.revokeCertificate]);
    expect(reg.plan.certificate.revoke).toEqual([second]);
    expect(certsOnChain()).toEqual(new Map([[first, 'revoked'], [second, 'revoked'], [third, 'valid']]));
    expect((await svc.wallet.record()).retiredCertificates).toEqual([]);
  });

  it('never revokes certificates RigLease did not publish (a tenant client certificate of the same wallet)', async () => {
    // Someone (Akash Console, say) published a client certificate for this wallet.
    const { certificateManager } = await import('@akashnetwork/chain-sdk');
    const tenant = await certificateManager.generatePEM(owner);
    const { sender } = await svc.context.get();
    const { wallet } = await svc.wallet.signer();
    const before = new Set(certsOnChain().keys());
    await sender.send(wallet, owner, [{ typeUrl: TYPE_URL.createCertificate, value: { owner, cert: new TextEncoder().encode(tenant.cert), pubkey: new TextEncoder().encode(tenant.publicKey) } }]);
    const tenantSerial = [...certsOnChain().keys()].find((s) => !before.has(s));
    expect(tenantSerial).toBeDefined();
    hostUri = 'https://provider.again.example.com:8443';
    const reg = await register();
    const valid = [...certsOnChain()].filter(([, st]) => st === 'valid').map(([s]) => s);
    // The one RigLease replaced is revoked; the tenant's client certificate and the new one stay valid.
    expect(valid).toHaveLength(2);
    expect(valid).toContain(reg.plan.certificate.serial);
    expect(valid).toContain(tenantSerial);
    expect(reg.plan.certificate.revoke).toHaveLength(1);
    expect(valid).not.toContain(reg.plan.certificate.revoke[0]);
  });
});
