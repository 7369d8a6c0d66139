import { describe, expect, it } from 'vitest';
import { generateProviderCertificate } from '../provider/chain/provider-cert.js';
import { certificateExpiryOutcome } from './provider-cert/cert-expiry-check.js';

const OWNER = 'akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3mhz5x';
const DAY = 86_400_000;

/** The diagnostics check `chain.provider-certificate`: what a user reads about the certificate's expiry. */
describe('provider certificate expiry check', () => {
  const now = new Date('2027-06-01T12:00:00Z');
  const issued = (daysAgo: number) => {
    const c = generateProviderCertificate(OWNER, ['provider.check.example.com'], new Date(now.getTime() - daysAgo * DAY));
    return { state: 'ready' as const, address: OWNER, serial: c.serial, certPem: c.cert };
  };

  it('ok while more than 30 days are left, warn from 30 days on (with what to run), fail once expired', () => {
    expect(certificateExpiryOutcome(issued(300), [], now)).toMatchObject({ status: 'ok', why: expect.stringContaining('valid until 2027-08-05 (65 days)') });
    const warn = certificateExpiryOutcome(issued(340), [], now);
    expect(warn).toMatchObject({ status: 'warn', why: expect.stringContaining('expires in 25 days (2027-06-26)'), fix: expect.stringContaining('riglease provider register') });
    expect(warn.why).toContain('7 days before expiry');
    expect(certificateExpiryOutcome(issued(366), [], now)).toMatchObject({ status: 'fail', why: expect.stringContaining('expired on 2027-05-31'), fix: expect.stringContaining('riglease provider register') });
  });

  it('mentions replaced certificates not revoked yet; says plainly when there is nothing to check', () => {
    expect(certificateExpiryOutcome(issued(10), ['123', '456'], now).why).toContain('2 replaced certificate(s) are not revoked yet');
    expect(certificateExpiryOutcome({ state: 'none', reason: 'The provider is not registered with a certificate yet.' }, [], now)).toEqual({ status: 'ok', why: 'The provider is not registered with a certificate yet.' });
    expect(certificateExpiryOutcome({ state: 'ready', address: OWNER, serial: '1', certPem: '-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n' }, [], now)).toMatchObject({ status: 'fail' });
  });
});
