import type { ChainSettings } from '../../api/schemas/settings/chain.js';

export type NetworkName = 'mainnet' | 'sandbox';

/**
 * Axelar USDC's IBC denom per network, so a wallet that still holds some shows it. chain-sdk
 * dropped this table when SDL prices were restricted to uact/uakt (chain-sdk #290, db8cc1d3);
 * the values are its last copy (ts/src/network/config.ts @77845fc2).
 */
const USDC_IBC_DENOMS: Record<NetworkName, string> = {
  mainnet: 'ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1',
  sandbox: 'ibc/12C6A0C374171B595A0A9E18B83FA09D295FB1F2D8C6DAA3AC28683471752D84',
};

/** One resolved network: what the clients connect to and what they expect to find there. */
export interface NetworkProfile {
  name: NetworkName;
  chainId: string;
  /** Tried in this order: user's own nodes, then the env override or the public list. */
  rpc: string[];
  /** Where the list came from, for the UI ("RIGLEASE_CHAIN_RPC", "settings"). */
  rpcSource: 'env' | 'settings';
  usdcDenom: string;
  gasPrice: string;
  gasAdjustment: number;
  requestTimeoutMs: number;
  txTimeoutMs: number;
  explorerTxUrl: string | null;
}

/**
 * Chain ids: mainnet `akashnet-2` (AKASH.md §2, helm values). Sandbox `sandbox-01` is
 * UNCONFIRMED (seen in third-party guides only; the official source is akash-network/net
 * sandbox/meta.json, not read here) — the node's own chain id is checked on connect anyway.
 */
export const CHAIN_IDS: Record<NetworkName, string> = { mainnet: 'akashnet-2', sandbox: 'sandbox-01' };

export function resolveNetwork(network: NetworkName, chain: ChainSettings, env: NodeJS.ProcessEnv): NetworkProfile {
  const override = (env['RIGLEASE_CHAIN_RPC'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const list = override.length > 0 ? override : network === 'mainnet' ? chain.mainnetRpc : chain.sandboxRpc;
  const rpc = [...new Set(override.length > 0 ? list : [...chain.customRpc, ...list])];
  const chainId = env['RIGLEASE_CHAIN_ID']?.trim() || CHAIN_IDS[network];
  // A tx on a local or custom chain has no public explorer page; say so instead of a dead link.
  const explorer = chainId === CHAIN_IDS.mainnet ? chain.explorerTxUrl : null;
  return {
    name: network,
    chainId,
    rpc,
    rpcSource: override.length > 0 ? 'env' : 'settings',
    usdcDenom: USDC_IBC_DENOMS[network],
    gasPrice: chain.gasPrice,
    gasAdjustment: chain.gasAdjustment,
    requestTimeoutMs: chain.requestTimeoutMs,
    txTimeoutMs: chain.txTimeoutMs,
    explorerTxUrl: explorer,
  };
}

export function explorerLink(profile: NetworkProfile, hash: string): string | null {
  return profile.explorerTxUrl ? profile.explorerTxUrl.replace('{hash}', hash) : null;
}
