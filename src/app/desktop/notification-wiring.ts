import type { Settings } from '../../api/schemas/settings.js';
import type { EventHub } from '../../core/event-hub.js';
import type { ChainService } from '../../provider/chain/index.js';
import type { Logger } from '../../util/logger.js';
import { NotificationCenter } from './notification-center.js';

/** What the notification room needs from the rest of the agent, and nothing more. */
export interface NotificationRoomDeps {
  hub: EventHub;
  settings: { all(): Promise<Settings> };
  /** From local files only: without a wallet the chain is never asked. */
  walletExists: () => Promise<boolean>;
  /** The chain room, loaded on first use. */
  chain: () => Promise<ChainService>;
  logger: Logger;
}

/**
 * The notification center on the agent's own parts: settings, the event hub and a slow look at
 * the chain (only once a wallet exists; `wallet.info` never asks the chain).
 */
export function createNotificationCenter(deps: NotificationRoomDeps): NotificationCenter {
  return new NotificationCenter({
    hub: deps.hub,
    settings: async () => (await deps.settings.all()).desktop,
    logger: deps.logger,
    watch: {
      walletExists: deps.walletExists,
      activeLeases: async () => {
        // A lease under AEP-82 notice (reclaiming) has not ended: it stays in the watched list.
        const leases = await (await deps.chain()).leases.open();
        // The same id and wording as the availability service's lease list (availability/create-availability.ts).
        return leases.map((l) => ({
          id: `${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}`,
          description: `Tenant ${l.owner.slice(0, 12)}…, deployment ${l.dseq}, ${l.pricePerBlock} ${l.denom} per block`,
        }));
      },
      balance: async () => {
        const b = await (await deps.chain()).wallet.balance();
        return { ok: b.shortfall.ok, akt: b.akt, message: b.shortfall.message };
      },
    },
  });
}
