import { createHash, randomBytes } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa';
import bcrypt from 'bcryptjs';
import { RigError } from '../../api/errors.js';

/**
 * The cosmos-sdk keyring's armored private key (`provider-services keys export` / `keys import`),
 * which the Akash provider chart takes as its `key` value. Format, as read in cosmos-sdk
 * `crypto/armor.go`, `crypto/keys/bcrypt/bcrypt.go` and `crypto/xsalsa20symmetric/symmetric.go`:
 *
 * - secret = sha256(bcrypt(passphrase, salt, cost 12)), where bcrypt is the full 60-character
 *   `$2a$12$<22 salt chars><31 hash chars>` string (the SDK's fork takes the 16 salt bytes as input);
 * - plaintext = amino binary of the key: prefix of `tendermint/PrivKeySecp256k1`, then the 32 bytes
 *   length-prefixed;
 * - ciphertext = 24-byte random nonce ‖ NaCl secretbox (xsalsa20-poly1305) of the plaintext;
 * - OpenPGP-style ASCII armor (`golang.org/x/crypto/openpgp/armor`): block type
 *   `TENDERMINT PRIVATE KEY`, headers `kdf: bcrypt`, `salt: <32 hex upper>`, `type: secp256k1`,
 *   base64 body in 64-column lines and a `=` CRC-24 line.
 *
 * bcrypt is what every SDK version reads (newer ones write scrypt by default but still read bcrypt).
 */

export const PRIVATE_KEY_BLOCK = 'TENDERMINT PRIVATE KEY';
/**
 * cosmos-sdk `BcryptSecurityParameter`. The armor does not record the cost: the reader uses its
 * own, so an export for provider-services must use 12. (The SDK's keyring tests set the parameter
 * to 1, which its bcrypt raises to its default of 10 — hence `cost` on the functions below.)
 */
export const BCRYPT_COST = 12;
const SALT_LEN = 16;
const NONCE_LEN = 24;
const KEY_LEN = 32;
/** Amino prefix of `tendermint/PrivKeySecp256k1` (sha256 of the name, per amino's rule) + byte-length 32. */
const AMINO_SECP256K1_PRIV = Uint8Array.from([0xe1, 0xb0, 0xf7, 0x9b, KEY_LEN]);

export interface ArmorBlock {
  blockType: string;
  headers: Record<string, string>;
  data: Uint8Array;
}

/** OpenPGP CRC-24 (RFC 4880 §6.1), as the armor checksum line uses it. */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const b of data) {
    crc ^= b << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

function crcLine(data: Uint8Array): string {
  const c = crc24(data);
  return '=' + Buffer.from([(c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff]).toString('base64');
}

/** Armor in the layout Go's encoder writes (headers sorted, as newer Go versions do). */
export function encodeArmor(blockType: string, headers: Record<string, string>, data: Uint8Array): string {
  const lines = [`-----BEGIN ${blockType}-----`];
  for (const k of Object.keys(headers).sort()) lines.push(`${k}: ${headers[k]}`);
  lines.push('');
  const b64 = Buffer.from(data).toString('base64');
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  lines.push(crcLine(data), `-----END ${blockType}-----`);
  return lines.join('\n');
}

const badArmor = (why: string) =>
  new RigError('invalid_input', `This is not a readable armored key: ${why}.`, 'Export the key again ("provider-services keys export <name>") and copy everything from BEGIN to END.');

export function decodeArmor(text: string): ArmorBlock {
  const lines = text.replace(/\r\n/g, '\n').split('\n').map((l) => l.trimEnd());
  const begin = lines.findIndex((l) => /^-----BEGIN [A-Z0-9 ]+-----$/.test(l));
  if (begin < 0) throw badArmor('no BEGIN line');
  const blockType = lines[begin]!.slice('-----BEGIN '.length, -'-----'.length);
  const end = lines.indexOf(`-----END ${blockType}-----`, begin + 1);
  if (end < 0) throw badArmor('no matching END line');
  const headers: Record<string, string> = {};
  let i = begin + 1;
  for (; i < end && lines[i] !== ''; i++) {
    const m = /^([^:]+): ?(.*)$/.exec(lines[i]!);
    if (!m) throw badArmor('a header line is malformed');
    headers[m[1]!] = m[2]!;
  }
  const body: string[] = [];
  let checksum: string | null = null;
  for (i += 1; i < end; i++) {
    const l = lines[i]!;
    if (l.startsWith('=')) checksum = l;
    else if (l !== '') body.push(l);
  }
  const b64 = body.join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw badArmor('the body is not base64');
  const data = new Uint8Array(Buffer.from(b64, 'base64'));
  if (checksum !== null && checksum !== crcLine(data)) throw badArmor('its checksum does not match (the text was changed or cut)');
  return { blockType, headers, data };
}

function bcryptSalt(salt: Uint8Array, cost: number): string {
  return `$2a$${String(cost).padStart(2, '0')}$${bcrypt.encodeBase64(Array.from(salt), SALT_LEN)}`;
}

/** sha256 of the SDK fork's bcrypt string: the 32-byte secretbox key. Async, so the agent stays responsive (~1 s). */
async function deriveSecret(passphrase: string, salt: Uint8Array, cost: number): Promise<Uint8Array> {
  if (salt.length !== SALT_LEN) throw badArmor(`its salt has ${salt.length} bytes, not ${SALT_LEN}`);
  const hashed = await bcrypt.hash(passphrase, bcryptSalt(salt, cost));
  return new Uint8Array(createHash('sha256').update(hashed, 'latin1').digest());
}

export interface ArmorOptions {
  /** For tests only: fixed salt/nonce make the output reproducible. Default: OS randomness. */
  salt?: Uint8Array;
  nonce?: Uint8Array;
  /** bcrypt cost; default BCRYPT_COST (what provider-services reads with). */
  cost?: number;
}

/** Encrypts and armors a 32-byte secp256k1 private key exactly as `keys export` does (bcrypt KDF). */
export async function armorPrivateKey(privKey: Uint8Array, passphrase: string, opts: ArmorOptions = {}): Promise<string> {
  if (privKey.length !== KEY_LEN) throw new RigError('internal', `A secp256k1 private key has ${KEY_LEN} bytes, not ${privKey.length}.`);
  if (passphrase.length < 8) {
    // provider-services refuses shorter ones on import (AKASH.md; the provider's own docs).
    throw new RigError('invalid_input', 'The key export passphrase must be at least 8 characters.');
  }
  const salt = opts.salt ?? new Uint8Array(randomBytes(SALT_LEN));
  const nonce = opts.nonce ?? new Uint8Array(randomBytes(NONCE_LEN));
  if (nonce.length !== NONCE_LEN) throw new RigError('internal', `The nonce must have ${NONCE_LEN} bytes.`);
  const secret = await deriveSecret(passphrase, salt, opts.cost ?? BCRYPT_COST);
  const plain = new Uint8Array(AMINO_SECP256K1_PRIV.length + KEY_LEN);
  plain.set(AMINO_SECP256K1_PRIV);
  plain.set(privKey, AMINO_SECP256K1_PRIV.length);
  const boxed = xsalsa20poly1305(secret, nonce).encrypt(plain);
  plain.fill(0);
  const data = new Uint8Array(NONCE_LEN + boxed.length);
  data.set(nonce);
  data.set(boxed, NONCE_LEN);
  const salthex = Buffer.from(salt).toString('hex').toUpperCase();
  return encodeArmor(PRIVATE_KEY_BLOCK, { kdf: 'bcrypt', salt: salthex, type: 'secp256k1' }, data);
}

/** The reverse of `armorPrivateKey` (and of `keys export`): the 32-byte key and its algorithm. */
export async function unarmorPrivateKey(armored: string, passphrase: string, opts: { cost?: number } = {}): Promise<{ privKey: Uint8Array; algo: string }> {
  const block = decodeArmor(armored);
  if (block.blockType !== PRIVATE_KEY_BLOCK) throw badArmor(`it is a "${block.blockType}" block, not a private key`);
  const kdf = block.headers['kdf'];
  if (kdf !== 'bcrypt') {
    throw new RigError('invalid_input', `This key was exported with the "${kdf ?? 'unknown'}" key derivation, which RigLease does not read.`, 'Import the wallet with its recovery phrase instead.');
  }
  const salt = block.headers['salt'] ?? '';
  if (!/^[0-9A-Fa-f]{32}$/.test(salt)) throw badArmor('its salt header is missing or not 16 bytes of hex');
  if (block.data.length <= NONCE_LEN + 16) throw badArmor('it is too short to hold a key');
  const secret = await deriveSecret(passphrase, new Uint8Array(Buffer.from(salt, 'hex')), opts.cost ?? BCRYPT_COST);
  let plain: Uint8Array;
  try {
    plain = xsalsa20poly1305(secret, block.data.subarray(0, NONCE_LEN)).decrypt(block.data.subarray(NONCE_LEN));
  } catch {
    throw new RigError('unauthorized', 'Wrong passphrase for this key (or the key text was changed).', 'Type the passphrase chosen when the key was exported.');
  }
  const prefixOk = plain.length === AMINO_SECP256K1_PRIV.length + KEY_LEN && AMINO_SECP256K1_PRIV.every((b, i) => plain[i] === b);
  if (!prefixOk) throw badArmor('it decrypts, but not to a secp256k1 private key');
  return { privKey: plain.slice(AMINO_SECP256K1_PRIV.length), algo: block.headers['type'] || 'secp256k1' };
}
