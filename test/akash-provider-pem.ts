import { spawnSync } from 'node:child_process';
import { createDecipheriv, createPrivateKey, pbkdf2Sync, X509Certificate, type KeyObject } from 'node:crypto';

/**
 * Test tool: what the Akash provider chart and provider-services do with `/config/provider.pem`,
 * emulated step by step from their sources, so a test can show a file passes (or fails) them.
 *
 * 1. helm-charts charts/akash-provider/scripts/refresh_provider_cert.sh (@f3d8d46, 2026-08-06).
 *    GEN_NEW_CERT=0 ("publish a new certificate") when any of these holds:
 *    - `/config/provider.pem` is missing;
 *    - `openssl x509 -serial -noout` of the file prints nothing (empty or malformed);
 *    - `query cert list --owner $ADDR --state valid --serial <that serial in decimal, via bc>
 *      --reverse` does not answer `.certificates[0].certificate.state == "valid"`;
 *    - the newest valid on-chain certificate (`--state valid --reverse`, `.certificates[0]`,
 *      base64-decoded) fails `openssl x509 -checkend 604800` (expires within 7 days);
 *    - the local file fails `openssl x509 -checkend 604800`.
 *    The real `openssl` binary is run for the openssl steps, as the script does.
 * 2. chain-sdk go/util/tls/key_pair_manager.go `readImpl` (what `provider-services run` reads
 *    through `${AKASH_HOME}/<addr>.pem`, the script's symlink to /config/provider.pem): block 1 is
 *    the certificate, block 2 the key; an `ENCRYPTED PRIVATE KEY` block is opened with
 *    smallstep/crypto pemutil `DecryptPKCS8PrivateKey(block, password)` — PBES2 only, PBKDF2 only,
 *    prf hmacWithSHA256 (else SHA-1), AES-128/192/256-CBC or (3)DES, key = PBKDF2(password, salt,
 *    iterations from the structure), RFC 1423 padding checked — then `x509.ParsePKCS8PrivateKey`,
 *    which must give an ECDSA key.
 * 3. chain-sdk go/provider/client/client.go `verifyPeerCertificate` (tenants): a self-signed
 *    provider certificate is verified with `KeyUsages: ServerAuth`.
 */

export interface ChainCert {
  owner: string;
  serial: string;
  state: 'valid' | 'revoked' | string;
  /** The PEM bytes as MsgCreateCertificate carried them. */
  cert: Uint8Array;
}

export type ScriptDecision = { generatesNewCert: false } | { generatesNewCert: true; reasons: string[] };

function openssl(args: string[], input: string): { code: number; out: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, out: r.stdout };
}

/** refresh_provider_cert.sh's decision for this file, owner and chain state (in store order; `--reverse` takes the last). */
export function refreshScriptDecision(file: string | null, owner: string, chain: readonly ChainCert[]): ScriptDecision {
  const reasons: string[] = [];
  let localSn = '';
  let remoteStatus = '';
  if (file === null) reasons.push('/config/provider.pem file is missing.');
  else {
    localSn = openssl(['x509', '-serial', '-noout'], file).out.trim().split('=')[1] ?? '';
    if (localSn) {
      const decimal = BigInt(`0x${localSn}`).toString(); // echo "obase=10; ibase=16; $SN" | bc
      const hit = chain.filter((c) => c.owner === owner && c.state === 'valid' && c.serial === decimal).reverse()[0];
      remoteStatus = hit ? 'valid' : '';
    }
  }
  if (file !== null && !localSn) reasons.push('LOCAL_CERT_SN variable is empty.');
  if (remoteStatus !== 'valid') reasons.push(`No valid certificate found for provider: ${owner}`);
  const newest = chain.filter((c) => c.owner === owner && c.state === 'valid').reverse()[0];
  if (!newest || openssl(['x509', '-checkend', '604800', '-noout'], Buffer.from(newest.cert).toString('utf8')).code !== 0) reasons.push('Certificate (on chain) expires in less than 7 days.');
  if (file === null || openssl(['x509', '-checkend', '604800', '-noout'], file).code !== 0) reasons.push('Certificate (local) expires in less than 7 days.');
  return reasons.length === 0 ? { generatesNewCert: false } : { generatesNewCert: true, reasons };
}

// ---- readImpl + pemutil.DecryptPKCS8PrivateKey ----

interface Der {
  tag: number;
  body: Buffer;
  end: number;
}
function der(buf: Buffer, at = 0): Der {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let pos = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos++]!;
  }
  return { tag, body: buf.subarray(pos, pos + len), end: pos + len };
}
function kids(body: Buffer): Der[] {
  const out: Der[] = [];
  for (let at = 0; at < body.length; ) {
    const d = der(body, at);
    out.push(d);
    at = d.end;
  }
  return out;
}
function oidText(body: Buffer): string {
  const arcs = [Math.floor(body[0]! / 40), body[0]! % 40];
  let v = 0;
  for (const b of body.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const HMAC_SHA256 = '1.2.840.113549.2.9';
const AES_CBC: Record<string, number> = { '2.16.840.1.101.3.4.1.2': 16, '2.16.840.1.101.3.4.1.22': 24, '2.16.840.1.101.3.4.1.42': 32 };

/** pemutil.DecryptPKCS8PrivateKey, for the AES ciphers (the only ones a provider file uses). Throws where Go returns an error. */
export function decryptPkcs8LikeGo(data: Buffer, password: Uint8Array): Buffer {
  const [algo, enc] = kids(der(data).body);
  if (!algo || !enc || enc.tag !== 0x04) throw new Error('failed to unmarshal private key');
  const [algOid, params] = kids(algo.body);
  if (!algOid || oidText(algOid.body) !== PBES2) throw new Error('unsupported encrypted PEM: only PBES2 is supported');
  const [kdf, scheme] = kids(params!.body);
  const [kdfOid, kdfParams] = kids(kdf!.body);
  if (oidText(kdfOid!.body) !== PBKDF2) throw new Error('unsupported encrypted PEM: only PBKDF2 is supported');
  // Go's struct: Salt []byte, IterationCount int, PrfParam (optional) — exactly these, in this order.
  const p = kids(kdfParams!.body);
  if (p[0]?.tag !== 0x04 || p[1]?.tag !== 0x02 || p.length > 3 || (p[2] && p[2].tag !== 0x30)) throw new Error('failed to unmarshal private key');
  const salt = p[0].body;
  const iter = Number(BigInt(`0x${p[1].body.toString('hex')}`));
  const prf = p[2] ? oidText(kids(p[2].body)[0]!.body) : '';
  const hash = prf === HMAC_SHA256 ? 'sha256' : 'sha1';
  const [encOid, iv] = kids(scheme!.body);
  const keyLen = AES_CBC[oidText(encOid!.body)];
  if (!keyLen || iv?.tag !== 0x04) throw new Error('unsupported encrypted PEM: unknown algorithm');
  const key = pbkdf2Sync(password, salt, iter, keyLen, hash);
  const d = createDecipheriv(`aes-${keyLen * 8}-cbc`, key, iv.body);
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(enc.body), d.final()]);
  const last = plain[plain.length - 1]!;
  if (plain.length === 0 || plain.length % 16 !== 0) throw new Error('error decrypting PEM: invalid padding');
  if (last === 0 || last > 16 || !plain.subarray(plain.length - last).every((b) => b === last)) throw new Error('x509: decryption password incorrect');
  return plain.subarray(0, plain.length - last);
}

/** readImpl: certificate + the EC private key, or throws as provider-services would refuse to start. */
export function readProviderPemLikeGo(file: string, password: Uint8Array): { cert: X509Certificate; key: KeyObject } {
  const blocks = [...file.matchAll(/-----BEGIN ([A-Z ]+)-----\r?\n([\s\S]*?)-----END \1-----/g)].map((m) => ({ type: m[1]!, der: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64') }));
  const [certBlock, keyBlock] = blocks;
  if (!certBlock) throw new Error('certificate not found in PEM');
  if (!keyBlock) throw new Error('private key not found in PEM');
  if (keyBlock.type !== 'ENCRYPTED PRIVATE KEY') throw new Error('unsupported encrypted PEM');
  const plain = decryptPkcs8LikeGo(keyBlock.der, password);
  const key = createPrivateKey({ key: plain, format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ec') throw new Error('unexpected private key type');
  return { cert: new X509Certificate(certBlock.der), key };
}
