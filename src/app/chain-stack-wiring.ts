import type { StackSettings } from '../api/schemas/settings/stack.js';
import type { Settings } from '../api/schemas/settings.js';
import type { HardwareService } from '../hardware/index.js';
import type { ChainService, ProviderKeyExport } from '../provider/chain/index.js';
import type { WalletSource } from '../provider/stack/stack-service.js';
import type { SecretStore } from '../store/secret-store.js';
import type { StackSeams } from './stack-wiring.js';

/** What the chain side of the stack needs, and nothing more. */
export interface ChainStackDeps {
  /** From local files only (never loads the chain libraries). */
  walletExists: () => Promise<boolean>;
  chain: () => Promise<ChainService>;
  settings: { all(): Promise<Settings> };
  hardware: Pick<HardwareService, 'scan'>;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
}

/** How old a scan may be for the chart's attributes (the stack plans from a scan this fresh too). */
const SCAN_MAX_AGE_MS = 60_000;

/** Plugs the chain side into the stack: the wallet seam and the chart's chain values. */
export function wireChainIntoStack(deps: ChainStackDeps, seams: StackSeams): void {
  seams.wallet = chainWalletSeam(deps);
  seams.align = (stack) => chainAlignedStack(deps, stack);
}

/** Only when a wallet exists does the provider chart exist, so only then is the scan read for it. */
async function chainAlignedStack(deps: ChainStackDeps, stack: StackSettings): Promise<StackSettings> {
  // A wallet that cannot be read is reported by the wallet's own checks and the plan's notes; the
  // stack (status, repairs) keeps working without the chain's values meanwhile.
  if (!(await deps.walletExists().catch(() => false))) return stack;
  const s = await deps.settings.all();
  const report = await deps.hardware.scan({ maxAgeMs: SCAN_MAX_AGE_MS }).catch(() => null);
  // Loaded here, not at start-up: it pulls in the chain libraries, needed only once a wallet exists.
  const { alignStackWithChain } = await import('./chain-stack-settings.js');
  return alignStackWithChain(stack, { network: s.general.network, chain: s.chain, env: deps.env, report });
}

/**
 * The stack's wallet seam, served by the chain's wallet: the public address, whether a key can
 * be exported (no decryption), and the armored key + passphrase for the provider chart's Secret.
 * Built lazily: planning or starting the agent never builds the chain client, let alone a node call.
 */
export function chainWalletSeam(deps: ChainStackDeps): WalletSource {
  let exporter: Promise<ProviderKeyExport> | null = null;
  const get = () =>
    (exporter ??= Promise.all([deps.chain(), import('../provider/chain/key-export.js')]).then(([chain, { ProviderKeyExport }]) => new ProviderKeyExport(chain.wallet, deps.secrets)));
  return {
    address: async () => (await get()).address(),
    keyPresent: async () => (await get()).keyPresent(),
    keyExport: async () => (await get()).keyExport(),
  };
}
