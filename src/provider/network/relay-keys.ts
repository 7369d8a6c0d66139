import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';

/** PKCS#8 wrapper for a raw X25519 private key (RFC 8410 §7): the DER header before the 32 bytes. */
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

export interface WgKeyPair {
  /** 32 bytes, base64 — WireGuard's format. A secret: never log it, never put it in argv. */
  privateKey: string;
  publicKey: string;
}

/**
 * A WireGuard key pair made in-process with node:crypto's X25519, so no child process ever
 * sees the private key (not even on stdin). The private key is clamped the way `wg genkey`
 * clamps it (curve25519 scalar clamping), so the bytes match what wg itself would write;
 * relay-keys.test.ts checks the public key against `wg pubkey`.
 */
export function generateWgKeyPair(): WgKeyPair {
  const raw = randomBytes(32);
  raw[0] = raw[0]! & 248;
  raw[31] = (raw[31]! & 127) | 64;
  const privateKey = raw.toString('base64');
  return { privateKey, publicKey: wgPublicKey(privateKey) };
}

/** `wg pubkey` in-process. Throws on anything that is not 32 base64-encoded bytes. */
export function wgPublicKey(privateKey: string): string {
  const raw = Buffer.from(privateKey, 'base64');
  if (raw.length !== 32 || raw.toString('base64') !== privateKey) throw new Error('not a WireGuard key (32 bytes in base64)');
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, raw]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('X25519 public key export gave no x');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}
