import { Secp256k1, Secp256k1Signature, sha256, Ripemd160 } from '@cosmjs/crypto';
import { toBech32 } from '@cosmjs/encoding';
import { AuthInfo, SignDoc, TxBody, TxRaw } from '@akashnetwork/chain-sdk/private-types/cosmos.v1beta1';
import { PubKey } from '@akashnetwork/chain-sdk/private-types/cosmos.secp256k1';
import { ChainError, sdkError } from './errors.js';
import { MSG_GAS, signerOf } from './messages.js';
import type { Account, ChainState } from './state.js';

export interface DecodedTx {
  raw: Uint8Array;
  body: ReturnType<typeof TxBody.decode>;
  authInfo: ReturnType<typeof AuthInfo.decode>;
  signatures: Uint8Array[];
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  gasLimit: bigint;
  fee: { denom: string; amount: bigint }[];
  signer: string;
}

const SIGN_MODE_DIRECT = 1;

export function pubkeyToAddress(pubkey: Uint8Array): string {
  return toBech32('akash', new Ripemd160().update(sha256(pubkey)).digest());
}

export function decodeTx(raw: Uint8Array): DecodedTx {
  try {
    const tx = TxRaw.decode(raw);
    const body = TxBody.decode(tx.bodyBytes);
    const authInfo = AuthInfo.decode(tx.authInfoBytes);
    if (body.messages.length === 0) throw sdkError.invalidRequest('must contain at least one message');
    const signers = [...new Set(body.messages.map((m) => signerOf(m)))];
    // One signer per tx is all the app sends; multi-signer txs are out of this tool's scope.
    if (signers.length !== 1 || authInfo.signerInfos.length !== 1) throw sdkError.unauthorized(`expected 1 signer, got ${signers.length}`);
    return {
      raw,
      body,
      authInfo,
      signatures: tx.signatures,
      bodyBytes: tx.bodyBytes,
      authInfoBytes: tx.authInfoBytes,
      gasLimit: BigInt(authInfo.fee?.gasLimit.toString() ?? '0'),
      fee: (authInfo.fee?.amount ?? []).map((c) => ({ denom: c.denom, amount: BigInt(c.amount) })),
      signer: signers[0]!,
    };
  } catch (err) {
    if (err instanceof ChainError) throw err;
    throw sdkError.txDecode((err as Error).message);
  }
}

/** Gas model: 10/byte of tx (x/auth TxSizeCostPerByte), 1000 per secp256k1 signature, a base, plus per message. */
export function gasFor(tx: DecodedTx): bigint {
  let gas = 30_000n + 10n * BigInt(tx.raw.length) + 1_000n;
  for (const m of tx.body.messages) gas += MSG_GAS[m.typeUrl] ?? 10_000n;
  return gas;
}

/**
 * The ante handler's checks, in the SDK's order: fee ≥ gas limit × min gas price (CheckTx),
 * fee payable, public key matches the signer, sequence, SIGN_MODE_DIRECT signature over
 * (body, auth info, chain id, account number). `simulate` skips the signature as the SDK does.
 */
export async function ante(state: ChainState, tx: DecodedTx, minGasPriceMilli: bigint, simulate: boolean): Promise<Account> {
  const acc = state.accounts.get(tx.signer);
  if (!acc) throw sdkError.unknownAddress(tx.signer);
  const info = tx.authInfo.signerInfos[0]!;
  if (!simulate) {
    // min gas price in thousandths of uakt (0.025uakt → 25): required = ceil(gas × price).
    const need = (tx.gasLimit * minGasPriceMilli + 999n) / 1000n;
    const paid = tx.fee.find((c) => c.denom === 'uakt')?.amount ?? 0n;
    if (paid < need) throw sdkError.insufficientFee(`${tx.fee.map((c) => `${c.amount}${c.denom}`).join(',') || '0uakt'}`, `${need}uakt`);
  }
  for (const c of tx.fee) {
    const have = state.balances.get(tx.signer)?.get(c.denom) ?? 0n;
    if (have < c.amount) throw sdkError.insufficientFunds(`${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
  }
  let pubkey: Uint8Array | null = acc.pubkey;
  if (info.publicKey) {
    if (info.publicKey.typeUrl !== '/cosmos.crypto.secp256k1.PubKey') throw sdkError.unauthorized(`unsupported public key ${info.publicKey.typeUrl}`);
    const pk = PubKey.decode(info.publicKey.value).key;
    if (pubkeyToAddress(pk) !== tx.signer) throw sdkError.unauthorized(`pubKey does not match signer address ${tx.signer}`);
    pubkey = pk;
  }
  if (!pubkey) throw sdkError.unauthorized('pubkey on account is not set');
  const seq = BigInt(info.sequence.toString());
  if (simulate) return acc;
  if (info.modeInfo?.single?.mode !== SIGN_MODE_DIRECT) throw sdkError.unauthorized('only SIGN_MODE_DIRECT is modelled by the test node');
  if (seq !== acc.sequence) throw sdkError.wrongSequence(acc.sequence, seq);
  const signDoc = SignDoc.encode(
    SignDoc.fromPartial({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, chainId: state.chainId, accountNumber: acc.accountNumber.toString() }),
  ).finish();
  const sig = tx.signatures[0];
  let ok = false;
  try {
    ok = sig !== undefined && sig.length === 64 && (await Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(sig), sha256(signDoc), pubkey));
  } catch {
    ok = false;
  }
  if (!ok) throw sdkError.unauthorized(`signature verification failed; please verify account number (${acc.accountNumber}) and chain-id (${state.chainId})`);
  acc.pubkey = pubkey;
  return acc;
}

