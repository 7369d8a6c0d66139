import { X509Certificate, createPrivateKey, generateKeyPairSync, randomInt, sign } from 'node:crypto';
import { Secp256k1, sha256 } from '@cosmjs/crypto';
import { toUtf8 } from '@cosmjs/encoding';
import { RENEW_AHEAD_DAYS, certificateExpiry } from './cert-expiry.js';

export { RENEW_AHEAD_DAYS, certificateExpiry, type CertificateExpiry } from './cert-expiry.js';

/**
 * The provider's server certificate, made the way `provider-services tx cert generate server
 * provider.<domain>` makes it, and the PEM file the provider chart reads.
 *
 * Generation follows chain-sdk `go/util/tls/key_pair_manager.go` (`generateImpl`, the same code
 * as `go/node/cert/v1/utils/key_pair_manager.go`): ECDSA P-256, serial = Unix time in ns,
 * subject CN = the owner plus the auth-version RDN (OID 2.23.133.2.6 = "v0.0.1"), issuer = subject
 * (self-signed), key usage keyEncipherment|dataEncipherment (critical), extended key usage
 * clientAuth **and serverAuth** (Go adds serverAuth when domains are given), basic constraints
 * cA=false (critical), the domains as DNS SANs and as critical permitted name constraints,
 * valid one year from now (the CLI's `--valid-time` default, 365 days).
 *
 * Why serverAuth matters: tenants check the provider's certificate in chain-sdk
 * `go/provider/client/client.go` (`verifyPeerCertificate`) with `KeyUsages: ServerAuth` against
 * the certificate the chain holds for that serial. The client-only certificate chain-sdk's
 * TypeScript `certificateManager.generatePEM` makes (clientAuth only) fails that check.
 */

export const AUTH_VERSION_OID = '2.23.133.2.6';
const OID = {
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectAltName: '2.5.29.17',
  nameConstraints: '2.5.29.30',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;
export const SERVER_AUTH_OID = OID.serverAuth;
/** The refresh script makes a new certificate when either copy expires within this (`openssl x509 -checkend 604800`). */
export const RENEW_WITHIN_S = 604_800;
const VALID_DAYS = 365;

export interface ProviderCertificate {
  /** PEM of the certificate (what MsgCreateCertificate carries). */
  cert: string;
  /** `EC PUBLIC KEY` PEM of the SubjectPublicKeyInfo (MsgCreateCertificate's pubkey, as `tx cert publish` sends it). */
  publicKey: string;
  /** Unencrypted PKCS#8 PEM: kept only in the SecretStore. */
  privateKey: string;
  /** Decimal, as the chain stores and filters it. */
  serial: string;
}

/** `provider.<domain>` from a host URI `https://provider.<domain>:8443` (any hostname, really); null when there is none. */
export function certificateHost(hostUri: string | null | undefined): string | null {
  if (!hostUri) return null;
  try {
    const host = new URL(hostUri).hostname;
    return host === '' ? null : host.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

export function generateProviderCertificate(owner: string, domains: string[], now = new Date()): ProviderCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // time.Now().UTC().UnixNano(): the milliseconds we have, the nanoseconds below them at random.
  const serial = BigInt(now.getTime()) * 1_000_000n + BigInt(randomInt(1_000_000));
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + VALID_DAYS * 86_400_000);
  const ips = domains.filter(isIp);
  const dns = domains.filter((d) => !isIp(d));
  const name = seq(set(seq(oid(OID.commonName), printable(owner))), set(seq(oid(AUTH_VERSION_OID), printable('v0.0.1'))));
  const exts: Buffer[] = [
    // Go's asn1 BIT STRING of KeyUsageKeyEncipherment|KeyUsageDataEncipherment: bits 2 and 3 → 0x30, 4 unused.
    extension(OID.keyUsage, true, tlv(0x03, Buffer.from([4, 0x30]))),
    extension(OID.extKeyUsage, false, seq(oid(OID.clientAuth), ...(domains.length > 0 ? [oid(OID.serverAuth)] : []))),
    // BasicConstraintsValid with IsCA false and no path length: an empty SEQUENCE, critical.
    extension(OID.basicConstraints, true, seq()),
  ];
  if (domains.length > 0) {
    exts.push(extension(OID.subjectAltName, false, seq(...dns.map((d) => tlv(0x82, Buffer.from(d, 'ascii'))), ...ips.map((ip) => tlv(0x87, ipBytes(ip))))));
    // PermittedDNSDomainsCritical + PermittedDNSDomains = the DNS names (IPs are not added as ranges).
    if (dns.length > 0) exts.push(extension(OID.nameConstraints, true, seq(tlv(0xa0, Buffer.concat(dns.map((d) => seq(tlv(0x82, Buffer.from(d, 'ascii')))))))));
  }
  const sigAlg = seq(oid(OID.ecdsaWithSHA256));
  const tbs = seq(tlv(0xa0, integer(2n)), integer(serial), sigAlg, name, seq(time(notBefore), time(notAfter)), name, spki, tlv(0xa3, seq(...exts)));
  const signature = sign('sha256', tbs, privateKey); // DER ECDSA-Sig-Value
  const der = seq(tbs, sigAlg, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return {
    cert: pem('CERTIFICATE', der),
    publicKey: pem('EC PUBLIC KEY', spki),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    serial: serial.toString(),
  };
}

export interface CertificateFacts {
  /** Decimal serial (`openssl x509 -serial` prints it in hex; the script turns it into decimal with bc). */
  serial: string;
  owner: string;
  notBefore: Date;
  notAfter: Date;
  serverAuth: boolean;
  dnsNames: string[];
}

export function certificateFacts(certPem: string): CertificateFacts {
  const x = new X509Certificate(certPem);
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(x.subject)?.[1] ?? '';
  return {
    serial: BigInt(`0x${x.serialNumber}`).toString(),
    owner: cn,
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    serverAuth: (x.keyUsage ?? []).includes(OID.serverAuth),
    dnsNames: (x.subjectAltName ?? '')
      .split(/,\s*/)
      .filter((s) => s.startsWith('DNS:'))
      .map((s) => s.slice(4)),
  };
}

/**
 * Whether a certificate can serve as this provider's server certificate: the owner's, a server
 * certificate for the host, and not within RENEW_AHEAD_DAYS of expiry (RigLease renews before
 * the refresh script's 7 days, when it would make its own). Says why not, for the registration plan.
 */
export function certificateFitsProvider(certPem: string | null, owner: string, host: string | null, now = new Date()): { ok: true } | { ok: false; reason: string } {
  if (!certPem) return { ok: false, reason: 'no certificate on record' };
  let f: CertificateFacts;
  try {
    f = certificateFacts(certPem);
  } catch {
    return { ok: false, reason: 'the certificate on record cannot be read' };
  }
  if (f.owner !== owner) return { ok: false, reason: 'the certificate on record belongs to another wallet' };
  if (!f.serverAuth) return { ok: false, reason: 'the certificate on record is a client certificate; the provider needs a server certificate' };
  if (host && !f.dnsNames.includes(host)) return { ok: false, reason: `the certificate on record is not for ${host}` };
  const exp = certificateExpiry(f, now);
  if (exp.renewDue) return { ok: false, reason: `the certificate on record expires within ${RENEW_AHEAD_DAYS} days (${exp.notAfter.toISOString().slice(0, 10)}), so it is renewed before the provider chart makes its own` };
  return { ok: true };
}

/**
 * The password provider-services encrypts and decrypts the certificate's key with: the wallet's
 * signature over its own bech32 address (`Keyring.SignByAddress(addr, []byte(addr.String()),
 * SIGN_MODE_DIRECT)`, chain-sdk key_pair_manager.go `NewKeyPairManager`). A local secp256k1 key
 * signs sha256(msg) deterministically (RFC 6979, low S) and returns r‖s, 64 bytes.
 */
export async function certificateKeyPassword(walletKey: Uint8Array, address: string): Promise<Uint8Array> {
  const sig = await Secp256k1.createSignature(sha256(toUtf8(address)), walletKey);
  return Uint8Array.from([...sig.r(32), ...sig.s(32)]);
}

/**
 * The file the provider reads as `${AKASH_HOME}/<address>.pem` (the chart links it to
 * `/config/provider.pem`): the CERTIFICATE block, then the key as an `ENCRYPTED PRIVATE KEY`
 * (PKCS#8 PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC), which chain-sdk `readImpl` opens with
 * `pemutil.DecryptPKCS8PrivateKey(block, password)` (smallstep/crypto pemutil/pkcs8.go reads
 * salt, iteration count and IV from the structure). Order and block types as `generateImpl` writes them.
 */
export async function providerPemFile(certPem: string, keyPem: string, walletKey: Uint8Array, address: string): Promise<string> {
  const password = await certificateKeyPassword(walletKey, address);
  try {
    const encrypted = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: Buffer.from(password) }).toString();
    const cert = pem('CERTIFICATE', new X509Certificate(certPem).raw);
    return `${cert}${encrypted.endsWith('\n') ? encrypted : `${encrypted}\n`}`;
  } finally {
    password.fill(0);
  }
}

// ---- DER ----

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const printable = (s: string): Buffer => tlv(0x13, Buffer.from(s, 'ascii'));

function integer(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const body = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const group = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) group.unshift((n & 0x7f) | 0x80);
    body.push(...group);
  }
  return tlv(0x06, Buffer.from(body));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5), as Go writes them. */
function time(d: Date): Buffer {
  const iso = d.toISOString(); // 2026-11-30T16:29:05.000Z
  const rest = `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = d.getUTCFullYear();
  return year >= 2050 ? tlv(0x18, Buffer.from(`${year}${rest}`, 'ascii')) : tlv(0x17, Buffer.from(`${iso.slice(2, 4)}${rest}`, 'ascii'));
}

function isIp(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || s.includes(':');
}

function ipBytes(ip: string): Buffer {
  if (!ip.includes(':')) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.concat(groups.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
