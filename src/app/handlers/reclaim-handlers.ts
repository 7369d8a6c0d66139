import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

type ReclaimMethod = 'leases.reclaimPreview' | 'leases.reclaim' | 'leases.closeReclaimed';

/**
 * AEP-82 reclamation. Giving notice and ending a lease both need `confirm: true` (the schema
 * refuses anything else), so a caller has always seen `leases.reclaimPreview` or said yes.
 * Every change is logged with its lease and reason.
 */
export function reclaimHandlers(agent: Agent): { [M in ReclaimMethod]: Handler<M> } {
  const log = agent.deps.logger.child('reclaim');
  return {
    'leases.reclaimPreview': async ({ owner, dseq, gseq, oseq, reason }) => (await agent.chain()).reclaim.preview({ owner, dseq, gseq, oseq }, reason),
    'leases.reclaim': async ({ owner, dseq, gseq, oseq, reason }) => {
      const out = await (await agent.chain()).reclaim.start({ owner, dseq, gseq, oseq }, reason);
      log.info('notice given on a lease (AEP-82)', { lease: `${owner}/${dseq}/${gseq}/${oseq}`, reason, deadline: out.deadlineIso, tx: out.tx.hash });
      return out;
    },
    'leases.closeReclaimed': async ({ owner, dseq, gseq, oseq }) => {
      const out = await (await agent.chain()).reclaim.close({ owner, dseq, gseq, oseq });
      log.info('lease ended after its notice (AEP-82)', { lease: `${owner}/${dseq}/${gseq}/${oseq}`, height: out.closedAtHeight, tx: out.tx.hash });
      return out;
    },
  };
}
