import { MsgSend } from '@akashnetwork/chain-sdk/private-types/cosmos.v1beta1';
import { MsgCreateProvider, MsgUpdateProvider } from '@akashnetwork/chain-sdk/private-types/akash.v1beta4';
import { MsgWithdrawLease } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { MsgCreateCertificate } from '@akashnetwork/chain-sdk/private-types/akash.v1';
import { X509Certificate } from 'node:crypto';
import { ChainError, sdkError } from './errors.js';
import { DEC, leaseKey, type ChainState, type LeaseRecord } from './state.js';
import { addBalance, ensureAccount, settleLease, subBalance } from './ledger.js';

type Any = { typeUrl: string; value: Uint8Array };
export type TxEvent = { type: string; attributes: { key: string; value: string }[] };

/** Gas each message costs on top of the tx's size and signature costs (a fixed model; see README). */
export const MSG_GAS: Record<string, bigint> = {
  '/cosmos.bank.v1beta1.MsgSend': 25_000n,
  '/akash.provider.v1beta4.MsgCreateProvider': 40_000n,
  '/akash.provider.v1beta4.MsgUpdateProvider': 35_000n,
  '/akash.cert.v1.MsgCreateCertificate': 30_000n,
  '/akash.market.v1beta5.MsgWithdrawLease': 20_000n,
};

/** Who must sign a message (its GetSigners), used to check the tx's signers. */
export function signerOf(msg: Any): string {
  switch (msg.typeUrl) {
    case '/cosmos.bank.v1beta1.MsgSend':
      return MsgSend.decode(msg.value).fromAddress;
    case '/akash.provider.v1beta4.MsgCreateProvider':
      return MsgCreateProvider.decode(msg.value).owner;
    case '/akash.provider.v1beta4.MsgUpdateProvider':
      return MsgUpdateProvider.decode(msg.value).owner;
    case '/akash.cert.v1.MsgCreateCertificate':
      return MsgCreateCertificate.decode(msg.value).owner;
    case '/akash.market.v1beta5.MsgWithdrawLease':
      return MsgWithdrawLease.decode(msg.value).id?.provider ?? '';
    default:
      throw new ChainError(6, 'sdk', `unable to resolve type URL ${msg.typeUrl}: tx parse error`);
  }
}

const HOST_URI = /^https?:\/\/[^\s/]+/;

function checkProviderFields(hostUri: string, attributes: { key: string; value: string }[]): void {
  // ValidateBasic of the provider module: a valid absolute URI, attribute keys unique and well formed.
  if (!HOST_URI.test(hostUri)) throw new ChainError(2, 'provider', `invalid provider: invalid host uri "${hostUri}"`);
  const seen = new Set<string>();
  for (const a of attributes) {
    if (!/^([a-zA-Z][\w/.-]{1,126}[\w])$/.test(a.key)) throw new ChainError(3, 'provider', `invalid attribute key "${a.key}"`);
    if (seen.has(a.key)) throw new ChainError(3, 'provider', `attribute key "${a.key}" duplicated`);
    seen.add(a.key);
  }
}

export function applyMessage(state: ChainState, msg: Any): TxEvent[] {
  switch (msg.typeUrl) {
    case '/cosmos.bank.v1beta1.MsgSend': {
      const m = MsgSend.decode(msg.value);
      if (!m.toAddress.startsWith('akash1')) throw sdkError.invalidRequest(`invalid to address ${m.toAddress}`);
      for (const c of m.amount) {
        subBalance(state, m.fromAddress, c.denom, BigInt(c.amount));
        ensureAccount(state, m.toAddress);
        addBalance(state, m.toAddress, c.denom, BigInt(c.amount));
      }
      return [{ type: 'transfer', attributes: [{ key: 'recipient', value: m.toAddress }, { key: 'sender', value: m.fromAddress }] }];
    }
    case '/akash.provider.v1beta4.MsgCreateProvider': {
      const m = MsgCreateProvider.decode(msg.value);
      checkProviderFields(m.hostUri, m.attributes);
      // Like the real keeper: creating a provider that exists is refused, never merged.
      if (state.providers.has(m.owner)) throw new ChainError(4, 'provider', `provider already exists: ${m.owner}`);
      state.providers.set(m.owner, { owner: m.owner, hostUri: m.hostUri, attributes: m.attributes, email: m.info?.email ?? '', website: m.info?.website ?? '' });
      return [{ type: 'akash.provider.v1beta4.EventProviderCreated', attributes: [{ key: 'owner', value: m.owner }] }];
    }
    case '/akash.provider.v1beta4.MsgUpdateProvider': {
      const m = MsgUpdateProvider.decode(msg.value);
      checkProviderFields(m.hostUri, m.attributes);
      if (!state.providers.has(m.owner)) throw new ChainError(5, 'provider', `provider not found: ${m.owner}`);
      state.providers.set(m.owner, { owner: m.owner, hostUri: m.hostUri, attributes: m.attributes, email: m.info?.email ?? '', website: m.info?.website ?? '' });
      return [{ type: 'akash.provider.v1beta4.EventProviderUpdated', attributes: [{ key: 'owner', value: m.owner }] }];
    }
    case '/akash.cert.v1.MsgCreateCertificate': {
      const m = MsgCreateCertificate.decode(msg.value);
      let serial: string;
      try {
        const x = new X509Certificate(Buffer.from(m.cert));
        serial = BigInt(`0x${x.serialNumber}`).toString();
        // The cert module checks the subject CN is the owner's address.
        if (!x.subject.includes(`CN=${m.owner}`)) throw new ChainError(4, 'cert', `certificate subject does not match owner ${m.owner}`);
      } catch (err) {
        if (err instanceof ChainError) throw err;
        throw new ChainError(3, 'cert', `invalid certificate: ${(err as Error).message}`);
      }
      if (state.certificates.some((c) => c.owner === m.owner && c.serial === serial)) throw new ChainError(2, 'cert', 'certificate already exists');
      state.certificates.push({ owner: m.owner, serial, state: 'valid', cert: m.cert, pubkey: m.pubkey });
      return [{ type: 'akash.cert.v1.EventCertificateCreated', attributes: [{ key: 'owner', value: m.owner }, { key: 'serial', value: serial }] }];
    }
    case '/akash.market.v1beta5.MsgWithdrawLease': {
      const m = MsgWithdrawLease.decode(msg.value);
      const id = m.id;
      if (!id) throw sdkError.invalidRequest('empty lease id');
      const key = leaseKey({ owner: id.owner, dseq: BigInt(id.dseq.toString()), gseq: id.gseq, oseq: id.oseq, provider: id.provider, bseq: id.bseq });
      const lease = state.leases.get(key);
      if (!lease) throw new ChainError(1, 'market', `unknown lease: ${key}`);
      if (lease.state === 'closed') throw new ChainError(20, 'escrow', 'payment closed');
      const paid = withdraw(state, lease);
      return [{ type: 'akash.escrow.v1.EventPaymentWithdrawn', attributes: [{ key: 'amount', value: `${paid}${lease.denom}` }] }];
    }
    default:
      throw new ChainError(6, 'sdk', `unrecognized message type ${msg.typeUrl}: unknown request`);
  }
}

/** Settle to the current height, then move the whole micro-units of the payment balance to the provider. */
function withdraw(state: ChainState, lease: LeaseRecord): bigint {
  settleLease(state, lease);
  const whole = lease.balanceAtomics / DEC;
  if (whole > 0n) {
    lease.balanceAtomics -= whole * DEC;
    lease.withdrawn += whole;
    ensureAccount(state, lease.provider);
    addBalance(state, lease.provider, lease.denom, whole);
  }
  return whole;
}
