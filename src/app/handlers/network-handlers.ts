import type { Handler } from '../../api/dispatch.js';
import type { Agent } from '../agent.js';

export function networkHandlers(agent: Agent): {
  'network.detect': Handler<'network.detect'>;
  'network.dnsStatus': Handler<'network.dnsStatus'>;
  'network.dnsSync': Handler<'network.dnsSync'>;
  'network.setDnsToken': Handler<'network.setDnsToken'>;
  'network.reachability': Handler<'network.reachability'>;
} {
  return {
    'network.detect': async (_input, ctx) => agent.network.detect(ctx.signal),
    'network.dnsStatus': async (_input, ctx) => agent.network.dnsStatus(ctx.signal),
    'network.dnsSync': async (_input, ctx) => agent.network.dnsSync(ctx.signal),
    'network.setDnsToken': async ({ token }) => agent.network.setDnsToken(token),
    'network.reachability': async ({ refresh }, ctx) => agent.network.reachability(refresh, ctx.signal),
  };
}
