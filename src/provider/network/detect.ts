import type { NetworkReport } from '../../api/schemas/network.js';
import type { LocalNetwork } from '../../hardware/bench/network-info.js';
import { addressRange } from './address-range.js';
import { classifyNetwork } from './classify.js';
import type { PublicAddress } from './public-address.js';
import type { RouterAddress } from './router-address.js';

export interface DetectInputs {
  local: LocalNetwork;
  router: RouterAddress;
  public: PublicAddress;
  extraPrivate?: readonly string[];
  now?: Date;
}

/** Puts what was read together: the three addresses, the verdict and what could not be read. */
export function networkReport(i: DetectInputs): NetworkReport {
  const extra = i.extraPrivate ?? [];
  const localRange = addressRange(i.local.localAddress, extra);
  const wan = i.router.ok ? i.router.address : null;
  const wanRange = addressRange(wan, extra);
  const pub = i.public.ok ? i.public.address : null;
  const unread: string[] = [];
  if (!i.local.localAddress) unread.push('this computer\u2019s address: no network interface with an IPv4 address');
  // Only worth saying when this computer is not itself the public address (a direct connection has no router to ask).
  if (!i.router.ok && !(pub && pub === i.local.localAddress)) unread.push(...i.router.tried.map((t) => `the router\u2019s outside address: ${t}`));
  if (!i.public.ok) unread.push(...i.public.tried.map((t) => `the public address: ${t}`));
  const v = classifyNetwork({ local: { address: i.local.localAddress, range: localRange }, router: { wanAddress: wan, range: wanRange }, publicAddress: pub });
  return {
    kind: v.kind,
    path: v.path,
    headline: v.headline,
    explanation: v.explanation,
    unread,
    local: { interfaceName: i.local.interfaceName, address: i.local.localAddress, range: localRange },
    router: { gateway: i.local.gateway, wanAddress: wan, range: wanRange, via: i.router.ok ? i.router.via : null },
    public: { address: pub, via: i.public.ok ? i.public.via : null, source: i.public.ok ? i.public.source : null },
    checkedAt: (i.now ?? new Date()).toISOString(),
  };
}
