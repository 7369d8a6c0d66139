import { Secp256k1 } from '@cosmjs/crypto';
import { fromHex, toHex } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';
import { certificateKeyPassword } from './provider-cert.js';

/**
 * The provider certificate's key password is the wallet's secp256k1 signature over its address.
 * provider-services makes it with the cosmos-sdk keyring, whose local key signs with
 * `crypto/keys/secp256k1/secp256k1_nocgo.go` (the default build, no `libsecp256k1_sdk` tag):
 *
 *   sig, err := ecdsa.SignCompact(priv, crypto.Sha256(msg), false)   // github.com/btcsuite/btcd/btcec/v2/ecdsa
 *   return sig[1:], nil                                              // R || S, lower-S form
 *
 * btcec/v2's ecdsa wraps github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa, whose `SignCompact` and
 * `Sign` both call the same `signRFC6979(key, hash)` (RFC 6979 nonce, S canonicalised to the lower
 * half). So the Go test vectors of those two packages, which fix the private key and message and
 * assert the exact signature, are what the keyring produces for that key and message. RigLease
 * reproduces them byte for byte through the function that derives the password.
 */

/** A DER ECDSA-Sig-Value → R || S (32 bytes each), as SignCompact lays them out after its header byte. */
function derToFixed(derHex: string): string {
  const der = fromHex(derHex);
  expect(der[0]).toBe(0x30);
  let i = 2;
  const int = () => {
    expect(der[i]).toBe(0x02);
    const len = der[i + 1]!;
    const v = der.slice(i + 2, i + 2 + len);
    i += 2 + len;
    const trimmed = v[0] === 0 ? v.slice(1) : v;
    return toHex(trimmed).padStart(64, '0');
  };
  return int() + int();
}

// btcsuite/btcd btcec/ecdsa/signature_test.go, TestRFC6979 (commit eb61742c5dc54b2fe5fae0cbde814d2ddd6a59e5):
// privKey := PrivKeyFromBytes(key); hash := sha256.Sum256([]byte(msg)); Sign(privKey, hash[:]).Serialize() == signature.
// (The vectors match Trezor and CoreBitcoin, per the Go file's comment.)
const BTCEC_RFC6979: { key: string; msg: string; der: string }[] = [
  {
    key: 'cca9fbcc1b41e5a95d369eaa6ddcff73b61a4efaa279cfc6567e8daa39cbaf50',
    msg: 'sample',
    der: '3045022100af340daf02cc15c8d5d08d7735dfe6b98a474ed373bdb5fbecf7571be52b384202205009fb27f37034a9b24b707b7c6b79ca23ddef9e25f7282e8a797efe53a8f124',
  },
  {
    // The Go file: "This signature hits the case when S is higher than halforder."
    key: '0000000000000000000000000000000000000000000000000000000000000001',
    msg: 'Satoshi Nakamoto',
    der: '3045022100934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d802202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5',
  },
  {
    key: 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140',
    msg: 'Satoshi Nakamoto',
    der: '3045022100fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d002206b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5',
  },
  {
    key: 'f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181',
    msg: 'Alan Turing',
    der: '304402207063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c022058dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea',
  },
  {
    key: '0000000000000000000000000000000000000000000000000000000000000001',
    msg: 'All those moments will be lost in time, like tears in rain. Time to die...',
    der: '30450221008600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b0220547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21',
  },
  {
    key: 'e91671c46231f833a6406ccbea0e3e392c76c167bac1cb013f6f1013980455c2',
    msg: "There is a computer disease that anybody who works with computers knows about. It's a very serious disease and it interferes completely with the work. The trouble with computers is that you 'play' with them!",
    der: '3045022100b552edd27580141f3b2a5463048cb7cd3e047b97c9f98076c32dbdf85a68718b0220279fa72dd19bfae05577e06c7c0c1900c371fcd5893f7e1d56a37d30174671f6',
  },
];

// decred/dcrd dcrec/secp256k1/ecdsa/signature_test.go, signTests (commit 9754217aff8e8d157120cd388e7744d3ff2b39dc),
// the entries with `rfc6979: true`: TestSignAndVerify asserts Sign(privKey, hash) == (wantSigR, wantSigS), values the
// Go file says were "verified independently with the Sage computer algebra system". The hash is given (blake256 of
// the message there), so these go to the signer directly.
const DCRD_RFC6979: { key: string; hash: string; r: string; s: string }[] = [
  {
    key: '0000000000000000000000000000000000000000000000000000000000000001',
    hash: 'c301ba9de5d6053caad9f5eb46523f007702add2c62fa39de03146a36b8026b7',
    r: 'c6c4137b0e5fbfc88ae3f293d7e80c8566c43ae20340075d44f75b009c943d09',
    s: '00ba213513572e35943d5acdd17215561b03f11663192a7252196cc8b2a99560',
  },
  {
    key: '0000000000000000000000000000000000000000000000000000000000000002',
    hash: 'c301ba9de5d6053caad9f5eb46523f007702add2c62fa39de03146a36b8026b7',
    r: 'e6f137b52377250760cc702e19b7aee3c63b0e7d95a91939b14ab3b5c4771e59',
    s: '44b9bc4620afa158b7efdfea5234ff2d5f2f78b42886f02cf581827ee55318ea',
  },
  {
    key: 'a1becef2069444a9dc6331c3247e113c3ee142edda683db8643f9cb0af7cbe33',
    hash: '4a6c419a1e25c85327115c4ace586decddfe2990ed8f3d4d801871158338501d',
    r: 'ef392791d87afca8256c4c9c68d981248ee34a09069f50fa8dfc19ae34cd92ce',
    s: '0a2b9cb69fd794f7f204c272293b8585a294916a21a11fd94ec04acae2dc6d21',
  },
  {
    key: 'b7548540f52fe20c161a0d623097f827608c56023f50442cc00cc50ad674f6b5',
    hash: 'e81db4f0d76e02805155441f50c861a8f86374f3ae34c7a3ff4111d3a634ecb1',
    r: '0d4cbf2da84f7448b083fce9b9c4e1834b5e2e98defcec7ec87e87c739f5fe78',
    s: '0997db60683e12b4494702347fc7ae7f599e5a95c629c146e0fc615a1a2acac5',
  },
];

const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

describe('the certificate key password is byte-identical to what the Go keyring signs', () => {
  it.each(BTCEC_RFC6979)('btcec/v2 TestRFC6979: key $key over sha256("$msg")', async ({ key, msg, der }) => {
    const password = await certificateKeyPassword(fromHex(key), msg);
    expect(password).toHaveLength(64);
    expect(toHex(password)).toBe(derToFixed(der));
    expect(BigInt(`0x${toHex(password.slice(32))}`) <= HALF_N).toBe(true);
  });

  it.each(DCRD_RFC6979)('dcrd secp256k1/v4 signTests: key $key over hash $hash', async ({ key, hash, r, s }) => {
    const sig = await Secp256k1.createSignature(fromHex(hash), fromHex(key));
    expect(toHex(sig.r(32))).toBe(r);
    expect(toHex(sig.s(32))).toBe(s);
  });

  it('a different key or message gives a different password (the comparison can fail)', async () => {
    const [v] = BTCEC_RFC6979;
    const good = toHex(await certificateKeyPassword(fromHex(v!.key), v!.msg));
    expect(toHex(await certificateKeyPassword(fromHex(v!.key), `${v!.msg} `))).not.toBe(good);
    expect(toHex(await certificateKeyPassword(fromHex(BTCEC_RFC6979[3]!.key), v!.msg))).not.toBe(good);
  });
});
