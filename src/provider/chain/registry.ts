import { Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { MsgCreateProvider, MsgUpdateProvider } from '@akashnetwork/chain-sdk/private-types/akash.v1beta4';
import { MsgCloseBid, MsgLeaseStartReclaim, MsgWithdrawLease } from '@akashnetwork/chain-sdk/private-types/akash.v1beta5';
import { MsgBurnACT, MsgCreateCertificate, MsgRevokeCertificate } from '@akashnetwork/chain-sdk/private-types/akash.v1';

/** Standard Cosmos Any type URL: "/" + package + "." + message (AKASH.md §3). */
function url(t: { $type: string }): string {
  return `/${t.$type}`;
}

export const TYPE_URL = {
  send: '/cosmos.bank.v1beta1.MsgSend',
  createProvider: url(MsgCreateProvider),
  updateProvider: url(MsgUpdateProvider),
  createCertificate: url(MsgCreateCertificate),
  revokeCertificate: url(MsgRevokeCertificate),
  withdrawLease: url(MsgWithdrawLease),
  closeBid: url(MsgCloseBid),
  /** AEP-82 (chain-sdk carries it since 1.0.0-alpha.45). */
  leaseStartReclaim: url(MsgLeaseStartReclaim),
  /** x/bme: ACT → AKT, queued and settled at the next burn epoch. */
  burnAct: url(MsgBurnACT),
} as const;

/**
 * The cosmjs registry with the Akash messages the app signs. chain-sdk's generated types have
 * encode/decode/fromPartial, which is the GeneratedType shape cosmjs needs.
 */
export function akashRegistry(): Registry {
  const registry = new Registry(defaultRegistryTypes);
  const akash: [string, GeneratedType][] = [
    [TYPE_URL.createProvider, MsgCreateProvider as unknown as GeneratedType],
    [TYPE_URL.updateProvider, MsgUpdateProvider as unknown as GeneratedType],
    [TYPE_URL.createCertificate, MsgCreateCertificate as unknown as GeneratedType],
    [TYPE_URL.revokeCertificate, MsgRevokeCertificate as unknown as GeneratedType],
    [TYPE_URL.withdrawLease, MsgWithdrawLease as unknown as GeneratedType],
    [TYPE_URL.closeBid, MsgCloseBid as unknown as GeneratedType],
    [TYPE_URL.leaseStartReclaim, MsgLeaseStartReclaim as unknown as GeneratedType],
    [TYPE_URL.burnAct, MsgBurnACT as unknown as GeneratedType],
  ];
  for (const [u, t] of akash) registry.register(u, t);
  return registry;
}
