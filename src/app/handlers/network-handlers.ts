import type { Handler } from '../../api/dispatch.js';
import type { NetworkService } from '../../provider/network/index.js';

export function networkHandlers(network: Pick<NetworkService, 'detect' | 'dnsStatus' | 'dnsSync' | 'setDnsToken' | 'reachability'>): {
  'network.detect': Handler<'network.detect'>;
  'network.dnsStatus': Handler<'network.dnsStatus'>;
  'network.dnsSync': Handler<'network.dnsSync'>;
  'network.setDnsToken': Handler<'network.setDnsToken'>;
  'network.reachability': Handler<'network.reachability'>;
} {
  return {
    'network.detect': async (_input, ctx) => network.detect(ctx.signal),
    'network.dnsStatus': async (_input, ctx) => network.dnsStatus(ctx.signal),
    'network.dnsSync': async (_input, ctx) => network.dnsSync(ctx.signal),
    'network.setDnsToken': async ({ token }) => network.setDnsToken(token),
    'network.reachability': async ({ refresh }, ctx) => network.reachability(refresh, ctx.signal),
  };
}
