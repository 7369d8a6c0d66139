import type { HardwareReport } from '../api/schemas/hardware.js';
import type { ChainSettings } from '../api/schemas/settings/chain.js';
import { StackSettings } from '../api/schemas/settings/stack.js';
import { buildAttributes, resolveNetwork } from '../provider/chain/index.js';
import type { NetworkName } from '../provider/chain/network.js';

/** The stack's default RPC node (a mainnet node): replaced by the wallet network's own first endpoint. */
const DEFAULT_STACK_RPC = StackSettings.parse({}).rpcNode;

export interface ChainFacts {
  network: NetworkName;
  chain: ChainSettings;
  env: NodeJS.ProcessEnv;
  /** The latest hardware scan (null when none could be made): the same input registration uses. */
  report: HardwareReport | null;
}

/**
 * The provider chart's chain values, made to agree with what RigLease registers on chain.
 * The chart's start-up script writes `provider.yaml` from its values and runs `tx provider
 * update` whenever the on-chain record differs (helm-charts `scripts/create_provider.sh`), so
 * anything the chart holds that RigLease's registration does not would be overwritten back and
 * forth. Hence: chain id = the wallet's network; RPC = the network's first endpoint unless the
 * user set their own; attributes, email and website = exactly what registration publishes
 * (`buildAttributes` on the same scan and profile); domain from the registered host URI when
 * the stack has none. Pure: no chain or Docker call.
 */
export function alignStackWithChain(stack: StackSettings, facts: ChainFacts): StackSettings {
  const profile = resolveNetwork(facts.network, facts.chain, facts.env);
  const p = facts.chain.provider;
  const { attributes } = buildAttributes(facts.report, p);
  const domainFromHost = /^https:\/\/provider\.([^/:]+)(:8443)?\/?$/.exec(p.hostUri ?? '')?.[1] ?? '';
  return {
    ...stack,
    chainId: profile.chainId,
    rpcNode: stack.rpcNode !== DEFAULT_STACK_RPC ? stack.rpcNode : (profile.rpc[0] ?? stack.rpcNode),
    email: p.email || stack.email,
    website: p.website || stack.website,
    attributes,
    domain: stack.domain || domainFromHost,
  };
}
