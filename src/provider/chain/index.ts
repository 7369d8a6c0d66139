import { RigError } from '../../api/errors.js';
import type { ChainSettings } from '../../api/schemas/settings/chain.js';
import type { SecretStore } from '../../store/secret-store.js';
import type { Logger } from '../../util/logger.js';
import { TxJournal } from './tx-journal.js';
import { ChainContext } from './chain-context.js';
import { EndpointHealthStore } from './endpoint-health-store.js';
import { LeasesService } from './leases-service.js';
import type { NetworkName } from './network.js';
import { ProviderService, type PemInUseProbe } from './provider-service.js';
import { ReclaimService } from './reclaim-service.js';
import { BmeService } from './bme-service.js';
import { OrdersService } from './orders-service.js';
import { WalletService } from './wallet-service.js';

export interface ChainServiceOptions {
  secrets: SecretStore;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  settings: () => Promise<{ network: NetworkName; chain: ChainSettings }>;
  /** The token bids deposit (settings `stack.bidDepositDenom`); AKT when not given. */
  depositDenom?: () => Promise<'uakt' | 'uact'>;
  /**
   * Re-confirmation before a reveal; defaults to the SecretStore's own passphrase check when it has
   * one. The desktop app passes its OS confirmation (electron/reveal-confirm.ts), which gets the
   * wallet's address (read from local state, nothing decrypted) and may throw its own refusal.
   */
  confirmReveal?: (passphrase: string, address: string) => Promise<boolean>;
  /** Which certificate the provider pod reads now (/config/provider.pem); registration never revokes that one. */
  providerPemInUse?: PemInUseProbe;
}

/** Everything the provider does on chain, composed once by the Agent. */
export interface ChainService {
  context: ChainContext;
  wallet: WalletService;
  provider: ProviderService;
  leases: LeasesService;
  /** AEP-82: notice on a lease, then closing it after the deadline. */
  reclaim: ReclaimService;
  /** ACT → AKT (x/bme MsgBurnACT). */
  bme: BmeService;
  /** Open deployment orders on the market (what the bid engine sees). */
  orders: OrdersService;
  stop(): void;
}

export function createChainService(opts: ChainServiceOptions): ChainService {
  const journal = new TxJournal(opts.stateDir);
  const context = new ChainContext(opts.settings, opts.env, opts.logger.child('chain'), new EndpointHealthStore(opts.stateDir, opts.logger.child('chain')), journal);
  const check = (opts.secrets as { checkPassphrase?: (p: string) => Promise<boolean> }).checkPassphrase;
  const confirmReveal =
    opts.confirmReveal ??
    (check
      ? (p: string) => check.call(opts.secrets, p)
      : // A store without a passphrase (Electron safeStorage) must supply its own OS confirmation.
        async () => {
          throw new RigError('precondition_failed', `Revealing the phrase needs a confirmation that the ${opts.secrets.kind} store does not offer yet.`, 'Use your written copy, or the headless agent (riglease serve), where re-entering the passphrase confirms a reveal.');
        });
  const wallet = new WalletService({ secrets: opts.secrets, stateDir: opts.stateDir, chain: context, confirmReveal, revealBy: opts.confirmReveal ? 'os' : 'passphrase', ...(opts.depositDenom ? { depositDenom: opts.depositDenom } : {}) });
  const provider = new ProviderService(wallet, context, opts.secrets, opts.logger.child('provider-chain'), opts.providerPemInUse);
  const leases = new LeasesService(wallet, context);
  const reclaim = new ReclaimService(wallet, context, leases);
  const bme = new BmeService(wallet, context, journal);
  return { context, wallet, provider, leases, reclaim, bme, orders: new OrdersService(context), stop: () => context.stop() };
}

export { validateMnemonic, generateMnemonic, HD_PATH } from './mnemonic.js';
export { resolveNetwork, CHAIN_IDS } from './network.js';
export { buildAttributes } from './attributes.js';
export { ProviderKeyExport, KEY_EXPORT_SECRET, privateKeyOf } from './key-export.js';
export { armorPrivateKey, unarmorPrivateKey } from './key-armor.js';
