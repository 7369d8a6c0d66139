import type { MarketView, PriceIssue, PricingView, Quote } from '../../api/schemas/pricing.js';
import type { AvailabilityStatus } from '../../api/methods/availability.js';
import { formatOld } from '../../api/format/age.js';

const usd = (n: number | null) => (n === null ? '—' : `$${n < 0.01 && n > 0 ? n.toPrecision(3) : n.toFixed(n < 1 ? 4 : 2)}`);

export function formatIssues(issues: PriceIssue[]): string[] {
  return issues.map((i) => `${i.severity === 'refuse' ? 'REFUSED' : i.severity === 'warn' ? 'warning' : 'note'}: ${i.message}`);
}

export function formatPricingView(v: PricingView): string {
  const r = v.resolved;
  const lines = [
    `Strategy: ${v.settings.strategy === 'fixed' ? 'fixed prices' : `follow the market (${v.settings.followMarket.percentOfMedian}% of the median)`}`,
    `Market: ${v.market.snapshot ? formatOld(v.market.ageSeconds) : 'no data yet (riglease market)'}${v.market.offline ? ' — last refresh failed, showing the cached snapshot' : ''}`,
    '',
    'GPU (per GPU-hour)          price     market median  power floor  chance',
    ...r.gpus.map((g) => `  ${(g.key + (g.local ? ' *' : '')).padEnd(26)}${usd(g.usdPerHour).padEnd(10)}${usd(g.marketMedianUsdPerHour).padEnd(15)}${usd(g.floorUsdPerHour).padEnd(13)}${g.win.label.toLowerCase()}`),
    `  ${'any other model'.padEnd(26)}${r.gpuDefaultUsdPerHour === null ? 'no bid' : usd(r.gpuDefaultUsdPerHour)}`,
    ...r.gpus.filter((g) => g.local).map((g) => `  ${g.key}: ${g.win.label}. ${g.win.reason}`),
    `Models without a price of their own ask the market ${positionWords(v.settings.marketPosition)} (never below the power floor).`,
    '',
    `CPU thread-hour ${usd(r.cpuThreadHour)} · memory GB-hour ${usd(r.memoryGbHour)} · endpoint-hour ${usd(r.endpointHour)} · IP-hour ${usd(r.ipHour)}`,
    `Storage GB-hour: ${Object.entries(r.storageGbHour).map(([k, p]) => `${k} ${usd(p)}`).join(' · ')}`,
    `Electricity: ${v.settings.power.pricePerKwh} ${v.settings.power.currency}/kWh, rig share ${v.settings.power.rigShareWatts} W`,
    `Bid script: ${v.bidScript.dir} (${v.bidScript.paused ? `paused — ${v.bidScript.pausedReason}` : 'bidding'}); provider: ${v.bidScript.provider.message}`,
    ...(r.issues.length ? ['', ...formatIssues(r.issues)] : []),
    '* = a GPU in this machine',
  ];
  return lines.join('\n');
}

function positionWords(p: PricingView['settings']['marketPosition']): string {
  return p === 'median' ? 'median' : p === 'below-median' ? 'halfway between the cheapest bid and the median' : 'halfway between the median and the dearest bid';
}

export function formatQuote(q: Quote): string {
  const head = q.bid ? `Bid: ${q.price} ${q.denom} per block (the order allows at most ${q.maxPrice})` : `No bid: ${q.reason}`;
  return [head, '', ...q.steps, '', `Gross ${usd(q.grossUsdPerHour)}/h, power ${usd(q.powerUsdPerHour)}/h, net ${usd(q.netUsdPerHour)}/h (${usd(q.netUsdPerMonth)}/month net)`].join('\n');
}

export function formatMarket(m: MarketView): string {
  if (!m.snapshot) return `No market data${m.error ? `: ${m.error}` : ''}.`;
  const rows = m.snapshot.gpuPrices.models
    .filter((x) => x.vendor === 'nvidia')
    .map((x) => `  ${`${x.model} ${x.ram} ${x.interface}`.padEnd(26)}${(x.price ? usd(x.price.med) : '—').padEnd(10)}${`${x.availability.available}/${x.availability.total}`}`);
  return [
    `Akash GPU market from ${m.snapshot.source}, ${formatOld(m.ageSeconds)}${m.offline ? ` (offline: ${m.error})` : ''}`,
    `AKT: ${m.snapshot.aktUsd === null ? 'unknown' : `$${m.snapshot.aktUsd}`}`,
    '  model                     median/h  free/total GPUs',
    ...rows,
  ].join('\n');
}

export function formatAvailability(s: AvailabilityStatus): string {
  return [
    `${s.activity.toUpperCase()}: ${s.reason}`,
    ...(s.resumesAt ? [`Bids again at ${s.resumesAt}.`] : []),
    ...(s.gaming.enabled ? [] : ['Gaming mode is off.']),
    ...s.notes,
    // A farm member: what its controller made of it.
    ...(s.farm
      ? [`Farm node ${s.farm.nodeName} on ${s.farm.controller}: ${s.farm.intent}${s.farm.reason ? ` (${s.farm.reason})` : ''}${s.farm.told ? (s.farm.applied ? '' : ' — recorded, k3s not updated yet') : ` — ${s.farm.controller} not told yet${s.farm.error ? `: ${s.farm.error}` : ''}`}`]
      : []),
  ].join('\n');
}
