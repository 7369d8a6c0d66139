import { Secp256k1 } from '@cosmjs/crypto';
import { describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import { armorPrivateKey, crc24, decodeArmor, encodeArmor, unarmorPrivateKey } from './key-armor.js';

/**
 * A key armored by the Go implementation: cosmos-sdk `crypto/keyring/keyring_test.go`,
 * TestImportPrivKey ("correct import"), which imports it with this passphrase; the same test
 * expects ErrWrongPassword for a changed salt (7BC5… instead of 6BC5…) and for a wrong passphrase.
 * That file's init() sets `crypto.BcryptSecurityParameter = 1`, which the SDK's bcrypt raises to
 * its DefaultCost 10 — so the vector is read with cost 10 (provider-services reads with 12).
 */
const GO_VECTOR = {
  cost: 10,
  passphrase: 'this passphrase has been used for all test vectors',
  armor:
    '-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\nsalt: 6BC5D5187F9DF241E1A1243EECFF9C17\ntype: secp256k1\n\nGDPpPfrSVZloiwufbal19fmd75QeiqwToZ949SwmnxxM03qL75xXVf3tTD/BrF4l\nFs14HuhwntDBM2xgZvymTBk2edHlEI20Phv6oC0=\n=/zZh\n-----END TENDERMINT PRIVATE KEY-----',
};

async function rejection(p: Promise<unknown>): Promise<RigError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RigError);
  return err as RigError;
}

describe('armored private key (cosmos-sdk keyring export format)', () => {
  it('decrypts a key armored by the Go implementation with its passphrase, to a valid secp256k1 key', async () => {
    const { privKey, algo } = await unarmorPrivateKey(GO_VECTOR.armor, GO_VECTOR.passphrase, { cost: GO_VECTOR.cost });
    expect(algo).toBe('secp256k1');
    expect(privKey).toHaveLength(32);
    // A valid scalar: the curve derives a public key from it (it throws for 0 or ≥ n).
    const pair = await Secp256k1.makeKeypair(privKey);
    expect(Secp256k1.compressPubkey(pair.pubkey)).toHaveLength(33);
  });

  it('refuses the Go vector with a wrong passphrase, and with its salt changed (as the SDK test does)', async () => {
    expect((await rejection(unarmorPrivateKey(GO_VECTOR.armor, 'wrong passphrase', { cost: GO_VECTOR.cost }))).code).toBe('unauthorized');
    const otherSalt = GO_VECTOR.armor.replace('salt: 6BC5', 'salt: 7BC5');
    expect((await rejection(unarmorPrivateKey(otherSalt, GO_VECTOR.passphrase, { cost: GO_VECTOR.cost }))).code).toBe('unauthorized');
  });

  it('re-encodes the Go vector byte for byte (same headers, line breaks and CRC-24 line)', () => {
    const block = decodeArmor(GO_VECTOR.armor);
    expect(block.blockType).toBe('TENDERMINT PRIVATE KEY');
    expect(block.headers).toEqual({ kdf: 'bcrypt', salt: '6BC5D5187F9DF241E1A1243EECFF9C17', type: 'secp256k1' });
    // 24-byte nonce + 16-byte Poly1305 tag + 37 bytes of amino-encoded key.
    expect(block.data).toHaveLength(77);
    expect(encodeArmor(block.blockType, block.headers, block.data)).toBe(GO_VECTOR.armor);
  });

  it('does not open the Go vector at cost 12: the cost is not in the armor, reader and writer must agree', async () => {
    expect((await rejection(unarmorPrivateKey(GO_VECTOR.armor, GO_VECTOR.passphrase))).code).toBe('unauthorized');
  });

  it('writes what the Go reader expects: fixed salt + nonce at cost 10 reproduce the Go vector exactly', async () => {
    const block = decodeArmor(GO_VECTOR.armor);
    const { privKey } = await unarmorPrivateKey(GO_VECTOR.armor, GO_VECTOR.passphrase, { cost: GO_VECTOR.cost });
    const again = await armorPrivateKey(privKey, GO_VECTOR.passphrase, {
      cost: GO_VECTOR.cost,
      salt: new Uint8Array(Buffer.from(block.headers['salt']!, 'hex')),
      nonce: block.data.slice(0, 24),
    });
    expect(again).toBe(GO_VECTOR.armor);
  });

  it('rejects armor whose body was changed, by its checksum', () => {
    const tampered = GO_VECTOR.armor.replace('GDPp', 'GDPq');
    expect(() => decodeArmor(tampered)).toThrow(/checksum/);
  });

  it('round-trips a key: armored with a fresh salt and nonce, read back only with the right passphrase', async () => {
    const privKey = new Uint8Array(32).map((_, i) => i + 1);
    const armored = await armorPrivateKey(privKey, 'correct horse battery');
    expect(armored).toMatch(/^-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\nsalt: [0-9A-F]{32}\ntype: secp256k1\n\n/);
    expect(armored.endsWith('\n-----END TENDERMINT PRIVATE KEY-----')).toBe(true);
    expect(armored).not.toContain(Buffer.from(privKey).toString('base64'));
    const back = await unarmorPrivateKey(armored, 'correct horse battery');
    expect(Buffer.from(back.privKey).equals(Buffer.from(privKey))).toBe(true);
    expect((await rejection(unarmorPrivateKey(armored, 'correct horse battery!'))).code).toBe('unauthorized');
  });

  it('computes the OpenPGP CRC-24 of the empty input as its initial value', () => {
    // RFC 4880 §6.1: CRC24_INIT is 0xB704CE; nothing fed in leaves it unchanged.
    expect(crc24(new Uint8Array())).toBe(0xb704ce);
  });
});
