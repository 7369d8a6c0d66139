import type { Agent } from '../agent.js';
import { NotificationCenter } from './notification-center.js';

/**
 * The notification center on the agent's own parts: settings, the event hub and a slow look at
 * the chain (only once a wallet exists; `wallet.info` never asks the chain).
 */
export function createNotificationCenter(agent: Agent): NotificationCenter {
  return new NotificationCenter({
    hub: agent.hub,
    settings: async () => (await agent.settings.all()).desktop,
    logger: agent.deps.logger.child('notifications'),
    watch: {
      walletExists: () => agent.walletExists(),
      activeLeases: async () => {
        // A lease under AEP-82 notice (reclaiming) has not ended: it stays in the watched list.
        const leases = await (await agent.chain()).leases.open();
        // The same id and wording as the availability service's lease list (pricing-wiring.ts).
        return leases.map((l) => ({
          id: `${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}`,
          description: `Tenant ${l.owner.slice(0, 12)}…, deployment ${l.dseq}, ${l.pricePerBlock} ${l.denom} per block`,
        }));
      },
      balance: async () => {
        const b = await (await agent.chain()).wallet.balance();
        return { ok: b.shortfall.ok, akt: b.akt, message: b.shortfall.message };
      },
    },
  });
}
