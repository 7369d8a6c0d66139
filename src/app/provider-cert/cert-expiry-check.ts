import type { ProviderPemState } from '../../provider/chain/provider-cert-file.js';
import { RENEW_AHEAD_DAYS, certificateExpiry } from '../../provider/chain/cert-expiry.js';
import { readWalletRecord } from '../../provider/chain/wallet-state.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { CheckOutcome } from '../diagnostics/check-registry.js';

/** The certificate on record, from local files only: no chain library is loaded, nothing is decrypted. */
export async function certificateOnRecord(stateDir: string, secrets: SecretStore, walletExists: () => Promise<boolean>): Promise<{ cur: ProviderPemState; retired: string[] }> {
  const r = await readWalletRecord(stateDir, secrets);
  const cur: ProviderPemState =
    !r.address || !(await walletExists())
      ? { state: 'none', reason: 'There is no wallet yet.' }
      : !r.certificateSerial || !r.certificatePem
        ? { state: 'none', reason: 'The provider is not registered with a certificate yet.' }
        : { state: 'ready', address: r.address, serial: r.certificateSerial, certPem: r.certificatePem };
  return { cur, retired: r.retiredCertificates };
}

/**
 * The diagnostics check `chain.provider-certificate`, from local state only (nothing decrypted, no
 * chain query): the registered certificate's expiry, warned about from RENEW_AHEAD_DAYS before it
 * (the chart publishes a certificate of its own 7 days before), and replaced ones not yet revoked.
 */
export function certificateExpiryOutcome(cur: ProviderPemState, retired: string[], now = new Date()): CheckOutcome {
  if (cur.state !== 'ready') return { status: 'ok', why: cur.reason };
  let exp: ReturnType<typeof certificateExpiry>;
  try {
    exp = certificateExpiry(cur.certPem, now);
  } catch {
    return { status: 'fail', why: `The certificate on record (${cur.serial}) cannot be read.`, fix: 'Run `riglease provider register` to publish a new provider certificate.' };
  }
  const day = exp.notAfter.toISOString().slice(0, 10);
  const pending = retired.length > 0 ? ` ${retired.length} replaced certificate(s) are not revoked yet; the next \`riglease provider register\` revokes them once the provider reads the new one.` : '';
  if (exp.daysLeft < 0) return { status: 'fail', why: `The provider certificate ${cur.serial} expired on ${day}: tenants cannot reach this provider.${pending}`, fix: 'Run `riglease provider register` now: it publishes a new certificate (fee shown first), and RigLease hands it to the provider within a minute.' };
  if (exp.renewDue)
    return {
      status: 'warn',
      why: `The provider certificate ${cur.serial} expires in ${exp.daysLeft} days (${day}). RigLease renews ${RENEW_AHEAD_DAYS} days ahead; left alone, the provider chart publishes a certificate of its own 7 days before expiry.${pending}`,
      fix: 'Run `riglease provider register` (or Register on the Wallet screen): it publishes a new certificate, revokes the replaced ones it can, and shows the fee first.',
    };
  return { status: 'ok', why: `The provider certificate ${cur.serial} is valid until ${day} (${exp.daysLeft} days).${pending}` };
}

