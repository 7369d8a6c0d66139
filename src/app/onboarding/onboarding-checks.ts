import type { PortsBench } from '../../api/schemas/bench.js';
import type { NetworkReport } from '../../api/schemas/network.js';
import type { Balance, ProviderPlan, WalletInfo } from '../../api/schemas/chain.js';
import type { PricingEstimate, PricingView } from '../../api/schemas/pricing.js';
import type { Settings } from '../../api/schemas/settings.js';
import type { StackStatus } from '../../api/schemas/stack.js';
import { done, failed, todo, type CheckResult } from './step.js';

/**
 * The checks the wizard asks the real services, as functions of what those services answer.
 * Each reads only; each reason says what to do next in words a person can act on.
 */

const usd = (n: number | null): string => (n === null ? 'unknown' : `$${n < 1 ? n.toFixed(n < 0.1 ? 4 : 3).replace(/0+$/, '').replace(/\.$/, '') : n.toFixed(2)}`);
const akt = (uakt: string): string => `${(Number(uakt) / 1e6).toLocaleString('en-US', { maximumFractionDigits: 6 })} AKT`;

export interface WalletSide {
  info(): Promise<WalletInfo>;
  balance(): Promise<Balance>;
}

/** A wallet exists and holds what a provider needs (fees, one bid deposit, the minimum balance). */
export async function walletCheck(wallet: WalletSide): Promise<CheckResult> {
  const info = await wallet.info();
  if (!info.exists || !info.address) return todo('No wallet yet: create one, or import the recovery phrase of one you have.');
  let balance: Balance;
  try {
    balance = await wallet.balance();
  } catch (err) {
    const fix = (err as { fix?: unknown }).fix;
    return failed(`The balance of ${info.address} could not be read: ${err instanceof Error ? err.message : String(err)}${typeof fix === 'string' ? ` ${fix}` : ''}`);
  }
  if (!balance.shortfall.ok) {
    return todo(`${balance.shortfall.message} The wallet ${info.address} holds ${akt(balance.uakt)}; send at least ${akt(balance.shortfall.missingUakt)} to it, then check again.`);
  }
  // Deposits paid in ACT: AKT alone is not enough to bid.
  if (balance.bidDeposit?.short && balance.bidDeposit.message) return todo(`${balance.bidDeposit.message} Send it to ${info.address}, then check again.`);
  return done();
}

/**
 * Prices: this rig's GPU prices at or above their power floor, nothing refused, and the person
 * has seen them with the earnings estimate and confirmed.
 */
export function pricingCheck(view: PricingView, estimate: PricingEstimate, confirmed: boolean): CheckResult {
  const refused = view.resolved.issues.filter((i) => i.severity === 'refuse');
  if (refused.length > 0) return todo(`Prices that cannot be used: ${refused.map((i) => i.message).join(' ')}`);
  const local = view.resolved.gpus.filter((g) => g.local);
  const below = local.filter((g) => g.floorUsdPerHour !== null && g.usdPerHour < g.floorUsdPerHour);
  if (below.length > 0) {
    return todo(
      `${below.map((g) => `${g.key} at ${usd(g.usdPerHour)}/h is below its power floor of ${usd(g.floorUsdPerHour)}/h`).join('; ')}: every rented hour loses money. Raise the price (or turn off "allow bids below the power floor"), then confirm.`,
    );
  }
  // `rtx4090` (a rule) and `rtx4090.24Gi.pcie` (the card) name the same GPU: show the card's line.
  const shown = local.filter((g) => !local.some((o) => o.key.startsWith(`${g.key}.`)));
  const prices = shown.length > 0 ? shown.map((g) => `${g.key} at ${usd(g.usdPerHour)}/h (power floor ${usd(g.floorUsdPerHour)}/h)`).join(', ') : 'No GPU of this rig is priced yet';
  const e = estimate.current;
  const summary = `${prices}; about ${usd(e.netUsdPerMonth)} a month after electricity at ${Math.round(e.utilizationPct)}% rented (${usd(e.grossUsdPerMonth)} gross).`;
  // Whether each price wins orders, from the market's bids, or plainly that it cannot be told.
  const chances = shown.map((g) => (g.win.verdict === 'unknown' ? g.win.reason : `${g.win.label}: ${g.win.reason}`)).join(' ');
  return confirmed ? done() : todo(`${summary}${chances ? ` ${chances}` : ''} Confirm these prices, or change them first.`);
}

/** What the network check reads: the settings, and the ports as the outside probe sees them. */
export async function networkCheck(settings: Settings, ports: () => Promise<PortsBench>, confirmed: boolean): Promise<CheckResult> {
  const domain = settings.stack.domain.trim();
  const hostUri = settings.chain.provider.hostUri;
  if (!domain || !hostUri) {
    return todo("Set the provider's domain (e.g. example.com): the gateway becomes provider.<domain>:8443, which tenants and the chain record point at.");
  }
  const host = safeHost(hostUri);
  if (host !== `provider.${domain}`) {
    return todo(`The provider's address ${hostUri} does not match the domain ${domain}: it should be https://provider.${domain}:8443. Save the domain again.`);
  }
  const p = await ports();
  const closed = p.ports.filter((x) => x.state === 'closed');
  if (closed.length > 0) {
    return failed(`Ports ${closed.map((x) => x.port).join(', ')} are not reachable from the internet (${p.reason}). ${p.advice.join(' ')}`);
  }
  const untested = p.ports.filter((x) => x.state === 'not_tested');
  if (untested.length === 0) return done();
  if (confirmed) return done();
  return todo(`Ports ${untested.map((x) => x.port).join(', ')} ${p.reason}. ${p.advice.join(' ')} Accept to continue without the test.`);
}

/**
 * The detected path, when it is the relay (carrier-grade NAT, double NAT): forwarding on the
 * router cannot help there, so the step says so first instead of sending the person to the router.
 */
export function withNetworkPath(result: CheckResult, report: Pick<NetworkReport, 'path' | 'headline'> | null): CheckResult {
  if (result.state === 'done' || !report || report.path !== 'relay') return result;
  return { ...result, reason: `${report.headline} Tenants can only reach this PC through the relay: set it up with \`riglease relay\`, then check again. ${result.reason}` };
}

function safeHost(uri: string): string | null {
  try {
    return new URL(uri).hostname;
  } catch {
    return null;
  }
}

/** The provider's address for a domain, as the stack's chart publishes it (AKASH.md §3). */
export function hostUriFor(domain: string): string {
  return `https://provider.${domain.trim().toLowerCase()}:8443`;
}

/**
 * Providing: the stack's container runs the current settings (k3s may still be starting: the
 * dashboard follows it from here), the provider is on chain as the settings say, and a
 * certificate whose key this rig holds is published.
 */
export async function providingCheck(status: StackStatus, provider: () => Promise<ProviderPlan>): Promise<CheckResult> {
  if (status.overall === 'not_installed') return todo('The provider stack is not installed yet.');
  if (status.overall === 'stopped') return todo('The provider stack is stopped.');
  if (status.overall === 'degraded') {
    const bad = status.components.filter((c) => c.state === 'failed').map((c) => `${c.name}: ${c.whyNotReady ?? c.detail}`);
    return failed(`The provider stack is not healthy (${bad.join('; ')}). The Provider stack screen shows its logs.`);
  }
  if (!status.upToDate) return todo('The provider stack runs older settings; starting it again applies the current ones.');
  const plan = await provider();
  if (plan.action === 'create') return todo('The provider is not registered on the Akash chain yet.');
  if (plan.action === 'update') return todo(`The provider record on chain differs from this rig: ${plan.changes.join('; ')}.`);
  // A certificate on record that is no longer fit (e.g. due for renewal) says why, from the plan.
  if (plan.certificate.needed) return todo(plan.warnings.find((w) => w.startsWith('A new provider certificate is made')) ?? 'The provider certificate is not on chain yet.');
  return done();
}
