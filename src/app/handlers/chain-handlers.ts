import type { Handler } from '../../api/dispatch.js';
import { RigError, toErrorShape } from '../../api/errors.js';
import type { NetworkView, ProviderRegisterOutcome, WalletStatus } from '../../api/schemas/chain.js';
import type { HardwareReport } from '../../api/schemas/hardware.js';
import type { Settings } from '../../api/schemas/settings.js';
import type { TaskRegistry } from '../../core/task-registry.js';
import type { HardwareService } from '../../hardware/index.js';
import type { ChainService } from '../../provider/chain/index.js';
import type { Logger } from '../../util/logger.js';
import type { FarmService } from '../farm/farm-service.js';
import type { PricingService } from '../pricing/pricing-service.js';
import { pricingUsdSource } from '../earnings-usd.js';

type ChainMethod =
  | 'wallet.status'
  | 'wallet.info'
  | 'wallet.create'
  | 'wallet.confirmBackup'
  | 'wallet.import'
  | 'wallet.previewSend'
  | 'wallet.send'
  | 'wallet.reveal'
  | 'network.get'
  | 'network.set'
  | 'provider.show'
  | 'provider.register'
  | 'provider.update'
  | 'leases.list'
  | 'earnings.get'
  | 'leases.withdraw';

/** A hardware report younger than this is reused for the provider attributes. */
const REPORT_MAX_AGE_MS = 10 * 60_000;

/** What the chain methods need from the rest of the agent, and nothing more. */
export interface ChainHandlerDeps {
  /** The chain room, loaded on first use. */
  chain: () => Promise<ChainService>;
  settings: { all(): Promise<Settings>; update(mutate: (draft: Settings) => void): Promise<Settings> };
  hardware: Pick<HardwareService, 'scan'>;
  /** The farm (built on first use): a controller announces the GPUs of the whole farm. */
  farm: () => Pick<FarmService, 'attributeBuilder'>;
  pricing: Pick<PricingService, 'market'>;
  tasks: Pick<TaskRegistry, 'start'>;
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

/**
 * The chain methods. Every one reaches the chain lazily through `deps.chain` (built on first
 * use); signing work (send, register, withdraw) runs as a task with progress.
 */
export function chainHandlers(deps: ChainHandlerDeps): { [M in ChainMethod]: Handler<M> } {
  const chain = () => deps.chain();
  // Earnings in USD: the pricing side's market snapshot (or manual AKT price), typed, never fetched here.
  const usd = pricingUsdSource({ market: () => deps.pricing.market(false), settings: async () => (await deps.settings.all()).pricing });

  const report = async (): Promise<HardwareReport | null> => {
    try {
      return await deps.hardware.scan({ maxAgeMs: REPORT_MAX_AGE_MS });
    } catch {
      // Registration still works without a scan; the plan then warns that capabilities are missing.
      return null;
    }
  };

  const register = async (dryRun: boolean, mustExist: boolean) => {
    const svc = await chain();
    if (mustExist && !(await svc.provider.show()).registered) {
      throw new RigError('precondition_failed', 'This wallet is not registered as a provider yet, so there is nothing to update.', 'Register first: `riglease provider register` (or the onboarding step).');
    }
    const profile = (await deps.settings.all()).chain.provider;
    const hw = await report();
    // A farm controller announces the GPUs of the whole farm (src/app/farm).
    const attrs = await deps.farm().attributeBuilder().catch(() => undefined);
    if (dryRun) return { dryRun: true, plan: await svc.provider.plan(hw, profile, attrs), task: null };
    await svc.wallet.address(); // no wallet: say so now, not as a failed task
    const task = deps.tasks.start('provider-register', 4, async (p): Promise<ProviderRegisterOutcome> =>
      svc.provider.register(hw, profile, { step: (n, m) => p.step(n, m), signal: p.signal }, attrs),
    );
    return { dryRun: false, plan: null, task };
  };

  const networkView = async (): Promise<NetworkView> => {
    const s = await deps.settings.all();
    const { resolveNetwork } = await import('../../provider/chain/network.js');
    const profile = resolveNetwork(s.general.network, s.chain, deps.env);
    const handle = await (await chain()).context.get();
    return {
      network: profile.name,
      chainId: profile.chainId,
      rpc: profile.rpc,
      rpcSource: profile.rpcSource,
      customRpc: s.chain.customRpc,
      health: handle.client.health(),
      explorerTxUrl: profile.explorerTxUrl,
    };
  };

  return {
    'wallet.status': async (): Promise<WalletStatus> => {
      const svc = await chain();
      const wallet = await svc.wallet.info();
      if (!wallet.exists) return { wallet, balance: null, balanceError: null };
      try {
        return { wallet, balance: await svc.wallet.balance(), balanceError: null };
      } catch (err) {
        // Offline or wrong chain: the address and the rest of the screen still work.
        return { wallet, balance: null, balanceError: toErrorShape(err) };
      }
    },
    'wallet.info': async () => (await chain()).wallet.info(),
    'wallet.create': async ({ replace }) => (await chain()).wallet.create(replace),
    'wallet.confirmBackup': async ({ pendingId, words, replace }) => (await chain()).wallet.confirm(pendingId, words, replace),
    'wallet.import': async ({ mnemonic, replace }) => (await chain()).wallet.importMnemonic(mnemonic, replace),
    'wallet.previewSend': async ({ to, amountUakt }) => (await chain()).wallet.previewSend(to, BigInt(amountUakt)),
    'wallet.send': async ({ previewId, confirm }) => {
      const svc = await chain();
      svc.wallet.checkSend(previewId, confirm);
      return deps.tasks.start('wallet-send', 1, async (p) => {
        p.step(1, 'Signing, sending and waiting for the block');
        return svc.wallet.send(previewId, confirm, p.signal);
      });
    },
    'wallet.reveal': async ({ passphrase }) => (await chain()).wallet.reveal(passphrase),
    'network.get': networkView,
    'network.set': async ({ network, customRpc }) => {
      await deps.settings.update((draft) => {
        if (network !== undefined) draft.general.network = network;
        if (customRpc !== undefined) draft.chain.customRpc = customRpc;
      });
      return networkView();
    },
    'provider.show': async () => (await chain()).provider.show(),
    'provider.register': async ({ dryRun }) => register(dryRun, false),
    'provider.update': async ({ dryRun }) => register(dryRun, true),
    'leases.list': async ({ state, limit, key }) => (await chain()).leases.page({ state, limit, key, withResources: true }),
    'earnings.get': async ({ usdPerAkt }) => (await chain()).leases.earnings(usdPerAkt ?? (await usd.aktUsd())),
    'leases.withdraw': async ({ dryRun }) => {
      const svc = await chain();
      const leases = await svc.leases.open();
      const { WITHDRAW_BATCH } = await import('../../provider/chain/leases-service.js');
      const batches = Math.ceil(leases.length / WITHDRAW_BATCH);
      if (dryRun || leases.length === 0) return { dryRun, leases: leases.length, batches, task: null };
      const task = deps.tasks.start('leases-withdraw', batches, async (p) => {
        p.step(1, `Withdrawing batch 1 of ${batches}`);
        const auto = (await deps.settings.all()).chain.autoConvertAfterWithdraw;
        const uact = async () => BigInt((await svc.wallet.balance()).uact);
        const before = auto ? await uact() : 0n;
        const out = await svc.leases.withdrawAll({
          dryRun: false,
          signal: p.signal,
          onBatch: (done, of) => {
            if (done < of) p.step(done + 1, `Withdrawing batch ${done + 1} of ${of}`);
          },
        });
        if (!auto) return out;
        // The withdrawal stands whatever the conversion does: its failure is reported, not thrown.
        const { convertWithdrawn } = await import('../../provider/chain/bme-service.js');
        try {
          const c = await convertWithdrawn(svc.bme, before, await uact());
          deps.logger.child('bme').info('automatic conversion after a withdrawal', { note: c.note, tx: c.converted?.tx.hash ?? null });
          return { ...out, conversion: c };
        } catch (err) {
          return { ...out, conversion: { converted: null, note: `Not converted: ${err instanceof Error ? err.message : String(err)}` } };
        }
      });
      return { dryRun: false, leases: leases.length, batches, task };
    },
  };
}
