import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

/**
 * The controller's self-signed certificate for the fleet API (TLS on the LAN). Members do not
 * trust it because of who signed it but because its SHA-256 fingerprint came in the join code,
 * which the person carried from the controller's screen: no CA, no name to match.
 *
 * Node can make keys but not certificates, and native addons are out, so the X.509 v3 body is
 * written here in DER (RFC 5280 §4.1): ECDSA P-256 with SHA-256, CN = the controller's name,
 * basicConstraints CA:TRUE (it is its own trust anchor on the member), ten years.
 */
export interface FleetCert {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the certificate's DER, 64 lower-case hex characters. */
  fingerprint: string;
}

const tlv = (tag: number, body: Buffer): Buffer => {
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
};
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
const oid = (hex: string): Buffer => tlv(0x06, Buffer.from(hex, 'hex'));
const ECDSA_SHA256 = seq(oid('2a8648ce3d040302'));
const COMMON_NAME = oid('550403');
const BASIC_CONSTRAINTS = oid('551d13');

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  return tlv(0x17, Buffer.from(`${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`, 'ascii'));
}

function name(cn: string): Buffer {
  return seq(tlv(0x31, seq(COMMON_NAME, tlv(0x0c, Buffer.from(cn.slice(0, 64), 'utf8')))));
}

export function fingerprintOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

export function makeFleetCert(commonName: string, now = new Date()): FleetCert {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive, never zero
  const notBefore = new Date(now.getTime() - 24 * 3600_000); // a member's clock a little behind still accepts it
  const notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    ECDSA_SHA256,
    name(commonName),
    seq(utcTime(notBefore), utcTime(notAfter)),
    name(commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, seq(seq(BASIC_CONSTRAINTS, tlv(0x04, seq(tlv(0x01, Buffer.from([0xff]))))))),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, ECDSA_SHA256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  // Read back by Node's own X.509 parser: a body it cannot read never leaves this function.
  const cert = new X509Certificate(der);
  if (!cert.verify(publicKey)) throw new Error('the fleet certificate does not verify with its own key');
  return { certPem: cert.toString(), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), fingerprint: fingerprintOf(der) };
}
