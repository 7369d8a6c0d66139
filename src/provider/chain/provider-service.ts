import type { EncodeObject } from '@cosmjs/proto-signing';
import { RigError } from '../../api/errors.js';
import type { z } from 'zod';
import type { ProviderOnChain, ProviderPlan, TxReceipt } from '../../api/schemas/chain.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { Logger } from '../../util/logger.js';
import { buildAttributes, diffAttributes, type ProviderProfile } from './attributes.js';
import type { ChainContext } from './chain-context.js';
import { explorerLink } from './network.js';
import { RENEW_AHEAD_DAYS, certificateExpiry, certificateFitsProvider, certificateHost, generateProviderCertificate } from './provider-cert.js';
import { queryCertificates, queryProvider } from './provider-queries.js';
import { TYPE_URL } from './registry.js';
import type { WalletService } from './wallet-service.js';
import type { WalletRecord } from './wallet-state.js';

type ProviderShown = z.infer<typeof ProviderOnChain>;
type ShownCertificate = NonNullable<ProviderShown['certificate']>;

export const CERT_KEY_SECRET = 'provider.cert-key';

/** Builds the attributes from a scan and the profile; a farm controller passes one over the whole farm's GPUs. */
export type AttributeBuilder = (report: HardwareReport | null, profile: ProviderProfile) => { attributes: { key: string; value: string }[]; warnings: string[] };

/**
 * Which certificate the provider pod reads now (the first block of the k3s node's
 * /config/provider.pem): `serial` null when there is no stack or no readable file; `known: false`
 * when that could not be read (the engine is down), so nothing that might be in use is revoked.
 */
export type PemInUse = { known: true; serial: string | null } | { known: false; reason: string };
export type PemInUseProbe = () => Promise<PemInUse>;

export interface ProgressSink {
  step(n: number, message: string): void;
  signal?: AbortSignal;
}

/**
 * Registration: builds the provider record from hardware + profile, compares it with the chain,
 * and sends MsgCreateProvider (new) or MsgUpdateProvider (changed) plus MsgCreateCertificate when
 * this wallet has no usable certificate — in ONE tx. Before anything is signed, pending txs are
 * looked up by hash and the provider is queried, so a retry after a timeout never registers twice.
 */
export class ProviderService {
  constructor(
    private readonly wallet: WalletService,
    private readonly chain: ChainContext,
    private readonly secrets: SecretStore,
    private readonly logger: Logger,
    private readonly pemInUse: PemInUseProbe = async () => ({ known: false, reason: 'nothing tells this service which certificate the provider reads' }),
  ) {}

  /** The clock registration judges certificate expiry by (a test seam: a test sets it back to publish a short-lived certificate). */
  now: () => Date = () => new Date();

  async show(): Promise<ProviderShown> {
    const owner = await this.wallet.address();
    const { client } = await this.chain.get();
    const p = await queryProvider(client, owner);
    const certs = await queryCertificates(client, owner);
    const record = await this.wallet.record();
    return {
      owner,
      registered: p !== null,
      hostUri: p?.hostUri ?? null,
      attributes: p?.attributes ?? [],
      info: p?.info ?? null,
      certificates: certs.map(({ serial, state }) => ({ serial, state })),
      certificate: this.certificateStatus(record, certs),
    };
  }

  /** The registered certificate's expiry and renewal, and the replaced ones still valid on chain; from the record and the chain's list. */
  private certificateStatus(record: WalletRecord, certs: { serial: string; state: string }[]): ShownCertificate | null {
    if (!record.certificateSerial || !record.certificatePem) return null;
    let exp: ReturnType<typeof certificateExpiry>;
    try {
      exp = certificateExpiry(record.certificatePem, this.now());
    } catch {
      return null;
    }
    const state = certs.find((c) => c.serial === record.certificateSerial)?.state ?? 'not on chain';
    const retired = record.retiredCertificates.filter((s) => certs.some((c) => c.serial === s && c.state === 'valid'));
    const day = exp.notAfter.toISOString().slice(0, 10);
    const note =
      exp.daysLeft < 0
        ? `Certificate ${record.certificateSerial} expired on ${day}. Run \`riglease provider register\` to publish a new one.`
        : exp.renewDue
          ? `Certificate ${record.certificateSerial} expires in ${exp.daysLeft} days (${day}). Run \`riglease provider register\` to renew it now; otherwise the provider chart publishes its own 7 days before.`
          : retired.length > 0
            ? `Certificate ${record.certificateSerial} is valid until ${day}. ${retired.length} replaced certificate(s) are still valid on chain; \`riglease provider register\` revokes them once the provider reads the new one.`
            : `Certificate ${record.certificateSerial} is valid until ${day}; it is renewed ${RENEW_AHEAD_DAYS} days before.`;
    return { serial: record.certificateSerial, state, expiresAt: exp.notAfter.toISOString(), daysLeft: exp.daysLeft, renewDue: exp.renewDue, retired, note };
  }

  /** What would be signed, with the simulated fee: the review screen and `--dry-run`. */
  async plan(report: HardwareReport | null, profile: ProviderProfile, attributesOf: AttributeBuilder = buildAttributes): Promise<ProviderPlan> {
    const built = await this.build(report, profile, false, attributesOf);
    return built.plan;
  }

  async register(report: HardwareReport | null, profile: ProviderProfile, progress: ProgressSink, attributesOf: AttributeBuilder = buildAttributes): Promise<{ plan: ProviderPlan; receipt: TxReceipt | null; alreadyDone: boolean }> {
    progress.step(1, 'Checking earlier transactions by hash');
    await this.resolvePending();
    progress.step(2, 'Comparing with the provider record on chain');
    const { plan, msgs, certPem, validOnChain } = await this.build(report, profile, true, attributesOf);
    // Replaced certificates no longer valid on chain (revoked elsewhere, or never confirmed) need nothing more.
    const prune = (r: WalletRecord) => {
      r.retiredCertificates = r.retiredCertificates.filter((s) => validOnChain.has(s) && !plan.certificate.revoke.includes(s));
    };
    if (plan.action === 'none' && !plan.certificate.needed && plan.certificate.revoke.length === 0) {
      if ((await this.wallet.record()).retiredCertificates.some((s) => !validOnChain.has(s))) await this.wallet.updateRecord(prune);
      return { plan, receipt: null, alreadyDone: true };
    }
    if (!profile.hostUri) throw new RigError('precondition_failed', 'The provider needs a host URI (https://provider.<your-domain>:8443).', 'Set the setting chain.provider.hostUri, e.g. `riglease settings set chain.provider.hostUri https://provider.example.com:8443`.');
    if (!plan.fee) throw new RigError('precondition_failed', plan.warnings.join(' ') || 'The fee could not be estimated.');
    progress.signal?.throwIfAborted();
    const { wallet, address } = await this.wallet.signer();
    const { sender, profile: net } = await this.chain.get();
    progress.step(3, `Signing and sending (${plan.messages.map((m) => m.typeUrl.split('.').pop()).join(' + ')})`);
    const out = await sender.send(wallet, address, msgs, {
      fee: { gasUsed: 0, gasLimit: plan.fee.gasLimit, feeUakt: BigInt(plan.fee.feeUakt) },
      ...(progress.signal ? { signal: progress.signal } : {}),
      onSigned: async (hash) => {
        await this.wallet.updateRecord((r) => {
          r.pendingTxs = [...r.pendingTxs.filter((t) => t.hash !== hash), { hash, kind: 'provider', at: new Date().toISOString() }];
          if (certPem) {
            // The replaced certificate is remembered until it is revoked (see build()).
            if (r.certificateSerial && r.certificateSerial !== certPem.serial) r.retiredCertificates = [...new Set([...r.retiredCertificates, r.certificateSerial])];
            // Recorded at signing time so a tx found later by hash still links the certificate to its key.
            r.certificatePem = certPem.cert;
            r.certificateSerial = certPem.serial;
          }
        });
      },
    });
    progress.step(4, 'Recording the result');
    await this.wallet.updateRecord((r) => {
      r.pendingTxs = r.pendingTxs.filter((t) => t.hash !== out.hash);
      // Revoked in this transaction: nothing left to do for them.
      prune(r);
    });
    return { plan, receipt: { hash: out.hash, height: out.height, feeUakt: out.feeUakt.toString(), gasUsed: out.gasUsed.toString(), explorerUrl: explorerLink(net, out.hash) }, alreadyDone: false };
  }

  /** Txs signed earlier and never confirmed: find each by hash; found ones are cleared, whatever their result. */
  async resolvePending(): Promise<void> {
    const record = await this.wallet.record();
    if (record.pendingTxs.length === 0) return;
    const { client } = await this.chain.get();
    for (const t of record.pendingTxs) {
      const r = await client.tx(t.hash);
      if (r) {
        this.logger.info('earlier transaction found by hash', { hash: t.hash, code: r.code });
        await this.wallet.updateRecord((w) => {
          w.pendingTxs = w.pendingTxs.filter((x) => x.hash !== t.hash);
        });
      } else if (Date.now() - Date.parse(t.at) < 10 * 60_000) {
        throw new RigError('conflict', `An earlier transaction (${t.hash}) is not in a block yet; sending again now could register twice.`, 'Wait a minute and try again; RigLease checks it by hash first.');
      }
    }
  }

  private async build(
    report: HardwareReport | null,
    profile: ProviderProfile,
    persistKey: boolean,
    attributesOf: AttributeBuilder,
  ): Promise<{ plan: ProviderPlan; msgs: EncodeObject[]; certPem: { cert: string; serial: string } | null; validOnChain: Set<string> }> {
    const owner = await this.wallet.address();
    const { client, sender } = await this.chain.get();
    const { attributes, warnings } = attributesOf(report, profile);
    const hostUri = profile.hostUri ?? '';
    const info = { email: profile.email, website: profile.website };
    const existing = await queryProvider(client, owner);
    const changes = existing ? diffAttributes(existing.attributes, attributes) : [];
    if (existing && existing.hostUri !== hostUri) changes.unshift(`host uri: ${existing.hostUri} → ${hostUri}`);
    if (existing && (existing.info.email !== info.email || existing.info.website !== info.website)) changes.push('contact info');
    const action = !existing ? 'create' : changes.length > 0 ? 'update' : 'none';
    const msgs: EncodeObject[] = [];
    if (action !== 'none') msgs.push({ typeUrl: action === 'create' ? TYPE_URL.createProvider : TYPE_URL.updateProvider, value: { owner, hostUri, attributes, info } });

    // A certificate is needed unless a valid one on chain is the one whose key we hold.
    const record = await this.wallet.record();
    const certs = await queryCertificates(client, owner);
    const haveKey = await this.secrets.has(CERT_KEY_SECRET);
    // …and it is a server certificate for this host, not within 30 days of expiry: RigLease renews
    // before the provider chart's refresh script would publish one of its own at 7 (see provider-cert.ts).
    const host = certificateHost(hostUri);
    const now = this.now();
    const fits = certificateFitsProvider(record.certificatePem, owner, host, now);
    const usable = certs.find((c) => c.state === 'valid' && c.serial === record.certificateSerial) && haveKey && fits.ok;
    if (!fits.ok && record.certificateSerial) warnings.push(`A new provider certificate is made: ${fits.reason}.`);
    let certPem: { cert: string; serial: string } | null = null;
    if (!usable) {
      const pem = generateProviderCertificate(owner, host ? [host] : [], now);
      // The key is stored before the tx is sent: a published certificate without its key is useless.
      // A dry run never stores one, so it cannot replace the key of a certificate still in flight.
      if (persistKey) await this.secrets.set(CERT_KEY_SECRET, pem.privateKey);
      certPem = { cert: pem.cert, serial: pem.serial };
      msgs.push({ typeUrl: TYPE_URL.createCertificate, value: { owner, cert: new TextEncoder().encode(pem.cert), pubkey: new TextEncoder().encode(pem.publicKey) } });
    }

    // Certificates RigLease published and replaced (the one on record, when a new one is made now,
    // and any kept back before) are revoked in the same tx, except one the provider may still be
    // reading: the one in /config/provider.pem waits until its successor is written there.
    const valid = new Set(certs.filter((c) => c.state === 'valid').map((c) => c.serial));
    const replaced = [...record.retiredCertificates, ...(certPem && record.certificateSerial ? [record.certificateSerial] : [])];
    const candidates = [...new Set(replaced)].filter((s) => valid.has(s) && s !== (certPem?.serial ?? record.certificateSerial));
    const revoke: string[] = [];
    const keep: { serial: string; reason: string }[] = [];
    if (candidates.length > 0) {
      const inUse = await this.pemInUse().catch((err: unknown): PemInUse => ({ known: false, reason: err instanceof Error ? err.message : String(err) }));
      for (const serial of candidates) {
        if (!inUse.known) keep.push({ serial, reason: `kept valid: which certificate the provider reads could not be checked (${inUse.reason})` });
        else if (inUse.serial === serial) keep.push({ serial, reason: 'kept valid: it is the one in /config/provider.pem; the next registration revokes it once the new one is written there' });
        else revoke.push(serial);
      }
    }
    for (const serial of revoke) msgs.push({ typeUrl: TYPE_URL.revokeCertificate, value: { id: { owner, serial } } });
    for (const k of keep) warnings.push(`Certificate ${k.serial} is ${k.reason}.`);
    let expiresAt: string | null = null;
    try {
      expiresAt = certPem ? certificateExpiry(certPem.cert, now).notAfter.toISOString() : record.certificatePem ? certificateExpiry(record.certificatePem, now).notAfter.toISOString() : null;
    } catch {
      expiresAt = null;
    }

    let fee: ProviderPlan['fee'] = null;
    if (!hostUri) warnings.push('No host URI: set https://provider.<your-domain>:8443 before registering.');
    if (msgs.length > 0 && hostUri) {
      try {
        const { wallet } = await this.wallet.signer();
        const est = await sender.estimate(wallet, owner, msgs);
        fee = { feeUakt: est.feeUakt.toString(), gasLimit: est.gasLimit };
      } catch (err) {
        if (!(err instanceof RigError)) throw err;
        warnings.push(`Fee estimate failed: ${err.message}`);
      }
    }
    const plan: ProviderPlan = {
      owner,
      action,
      hostUri,
      attributes,
      info,
      changes,
      messages: msgs.map((m) => ({ typeUrl: m.typeUrl, value: displayValue(m) })),
      certificate: { needed: certPem !== null, serial: certPem?.serial ?? record.certificateSerial, revoke, keep, expiresAt },
      fee,
      warnings,
    };
    return { plan, msgs, certPem, validOnChain: valid };
  }
}

/** Message values as JSON a person can read: bytes (PEM) as text. */
function displayValue(m: EncodeObject): unknown {
  const v = m.value as Record<string, unknown>;
  if (m.typeUrl === TYPE_URL.revokeCertificate) return v;
  if (m.typeUrl === TYPE_URL.createCertificate) {
    return { owner: v['owner'], cert: new TextDecoder().decode(v['cert'] as Uint8Array), pubkey: new TextDecoder().decode(v['pubkey'] as Uint8Array) };
  }
  return v;
}
