import { createPublicKey, sign, verify, X509Certificate } from 'node:crypto';
import { certificateManager } from '@akashnetwork/chain-sdk';
import { describe, expect, it } from 'vitest';
import { readProviderPemLikeGo, refreshScriptDecision, type ChainCert } from '../../../test/akash-provider-pem.js';
import { redact, redactText } from '../../util/redact.js';
import { redactFileText } from '../../app/diagnostics/export-redaction.js';
import { privateKeyOf } from './key-export.js';
import { addressOf, generateMnemonic } from './mnemonic.js';
import { SERVER_AUTH_OID, certificateFitsProvider, certificateHost, certificateKeyPassword, generateProviderCertificate, providerPemFile } from './provider-cert.js';

const HOST = 'provider.rig.example.com';

async function wallet() {
  const mnemonic = generateMnemonic();
  return { address: await addressOf(mnemonic), key: await privateKeyOf(mnemonic) };
}

const onChain = (owner: string, serial: string, cert: string, state = 'valid'): ChainCert => ({ owner, serial, state, cert: new TextEncoder().encode(cert) });

describe('the provider certificate RigLease registers passes the chart and provider-services checks', () => {
  it('is a self-signed P-256 server certificate for provider.<domain>, owned by the wallet, valid a year', async () => {
    const w = await wallet();
    const c = generateProviderCertificate(w.address, [certificateHost(`https://${HOST}:8443`)!], new Date('2026-11-30T12:00:00.500Z'));
    const x = new X509Certificate(c.cert);
    expect(x.subject).toBe(`CN=${w.address}\n2.23.133.2.6=v0.0.1`);
    expect(x.issuer).toBe(x.subject);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(x.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2', SERVER_AUTH_OID]);
    expect(x.subjectAltName).toBe(`DNS:${HOST}`);
    expect(x.checkHost(HOST)).toBe(HOST);
    expect(x.ca).toBe(false);
    expect(new Date(x.validFrom).toISOString()).toBe('2026-11-30T12:00:00.000Z');
    expect(new Date(x.validTo).toISOString()).toBe('2027-11-30T12:00:00.000Z');
    // Serial = Unix nanoseconds, as Go's generateImpl; the chain filters by the decimal form.
    expect(BigInt(`0x${x.serialNumber}`).toString()).toBe(c.serial);
    expect(BigInt(c.serial) / 1_000_000n).toBe(BigInt(Date.parse('2026-11-30T12:00:00.500Z')));
    // MsgCreateCertificate's pubkey is the certificate's key.
    expect(createPublicKey(c.publicKey.replaceAll('EC PUBLIC KEY', 'PUBLIC KEY')).equals(x.publicKey)).toBe(true);
  });

  it('the /config/provider.pem file: the refresh script keeps it, and provider-services opens its key with the wallet-derived password', async () => {
    const w = await wallet();
    const c = generateProviderCertificate(w.address, [HOST]);
    const file = await providerPemFile(c.cert, c.privateKey, w.key, w.address);
    expect(file.indexOf('-----BEGIN CERTIFICATE-----')).toBe(0);
    expect(file).toMatch(/-----END CERTIFICATE-----\n-----BEGIN ENCRYPTED PRIVATE KEY-----\n[\s\S]+-----END ENCRYPTED PRIVATE KEY-----\n$/);
    expect(file).not.toContain(c.privateKey.split('\n')[1]!);

    const chain = [onChain(w.address, c.serial, c.cert)];
    expect(refreshScriptDecision(file, w.address, chain)).toEqual({ generatesNewCert: false });

    const password = await certificateKeyPassword(w.key, w.address);
    expect(password.length).toBe(64);
    const { cert, key } = readProviderPemLikeGo(file, password);
    expect(cert.serialNumber).toBe(new X509Certificate(c.cert).serialNumber);
    // The decrypted key is the certificate's key: what it signs, the certificate's public key verifies.
    expect(verify('sha256', Buffer.from('tls'), cert.publicKey, sign('sha256', Buffer.from('tls'), key))).toBe(true);
    // Another wallet's signature does not open it (the padding check catches almost every wrong key).
    const other = await wallet();
    expect(() => readProviderPemLikeGo(file, Uint8Array.from(password, (b, i) => (i === 0 ? b ^ 1 : b)))).toThrow();
    expect(() => readProviderPemLikeGo(file, new Uint8Array(64).fill(7))).toThrow();
    void other;
  });

  it('the refresh script would publish its own when the file, the chain record or the dates are wrong (the emulation can fail)', async () => {
    const w = await wallet();
    const c = generateProviderCertificate(w.address, [HOST]);
    const file = await providerPemFile(c.cert, c.privateKey, w.key, w.address);
    expect(refreshScriptDecision(null, w.address, [onChain(w.address, c.serial, c.cert)])).toMatchObject({ generatesNewCert: true });
    expect(refreshScriptDecision('garbage\n', w.address, [onChain(w.address, c.serial, c.cert)])).toMatchObject({ generatesNewCert: true });
    expect(refreshScriptDecision(file, w.address, [])).toMatchObject({ generatesNewCert: true });
    expect(refreshScriptDecision(file, w.address, [onChain(w.address, c.serial, c.cert, 'revoked')])).toMatchObject({ generatesNewCert: true });
    // Expiring in 3 days: regenerated, and RigLease does not count it as usable either.
    const old = generateProviderCertificate(w.address, [HOST], new Date(Date.now() - 362 * 86_400_000));
    const oldFile = await providerPemFile(old.cert, old.privateKey, w.key, w.address);
    expect(refreshScriptDecision(oldFile, w.address, [onChain(w.address, old.serial, old.cert)])).toMatchObject({ generatesNewCert: true });
    expect(certificateFitsProvider(old.cert, w.address, HOST)).toMatchObject({ ok: false, reason: expect.stringContaining('expires within 30 days') });
  });

  it('what registration counts as usable: the client-only certificate chain-sdk makes is not, nor one for another host or wallet', async () => {
    const w = await wallet();
    const c = generateProviderCertificate(w.address, [HOST]);
    expect(certificateFitsProvider(c.cert, w.address, HOST)).toEqual({ ok: true });
    expect(certificateFitsProvider(c.cert, w.address, 'provider.other.example.com')).toMatchObject({ ok: false });
    expect(certificateFitsProvider(c.cert, (await wallet()).address, HOST)).toMatchObject({ ok: false });
    expect(certificateFitsProvider(null, w.address, HOST)).toMatchObject({ ok: false });
    const clientOnly = await certificateManager.generatePEM(w.address);
    expect(new X509Certificate(clientOnly.cert).keyUsage).not.toContain(SERVER_AUTH_OID);
    expect(certificateFitsProvider(clientOnly.cert, w.address, HOST)).toMatchObject({ ok: false, reason: expect.stringContaining('client certificate') });
  });

  it('the file is never readable in logs or the diagnostics bundle: the key block is redacted, the certificate kept', async () => {
    const w = await wallet();
    const c = generateProviderCertificate(w.address, [HOST]);
    const file = await providerPemFile(c.cert, c.privateKey, w.key, w.address);
    const keyLine = file.split('\n').find((l, i, all) => i > all.indexOf('-----BEGIN ENCRYPTED PRIVATE KEY-----') && l.length > 40)!;
    for (const out of [redactText(`writing ${file}`), redactFileText('logs/agent.log', file), JSON.stringify(redact({ body: file })), redactFileText('state/x.json', JSON.stringify({ pem: file }))]) {
      expect(out).not.toContain(keyLine);
    }
    expect(redactText(file)).toContain('-----BEGIN CERTIFICATE-----');
  });
});
