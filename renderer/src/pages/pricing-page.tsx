import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MarketView, PriceIssue, PricingEstimate, PricingView, Quote } from '../../../src/api/schemas/pricing.js';
import { formatOld } from '../../../src/api/format/age.js';
import { toRigError, useCall, useEvent } from '../api/hooks.js';
import { useClient } from '../api/client-context.js';
import { ErrorView } from '../components/error-view.js';
import { AvailabilityControl } from '../components/pricing/availability-control.js';
import { draftOf, fieldsOf, formatUsd, marketSupply, RESOURCE_FIELDS, type Fields } from '../components/pricing/price-draft.js';
import { MarketPositionControl, WinChanceLabel } from '../components/pricing/win-chance.js';

/**
 * Pricing: what the rig asks per resource and per GPU model, with the market beside each price,
 * the power floor, the strategy, the monthly estimate, and the effect of a change before it is
 * applied. Applied prices go to the running provider's bid script at once.
 */
export function PricingPage(): ReactNode {
  const client = useClient();
  const got = useCall('pricing.get', {});
  const [view, setView] = useState<PricingView | null>(null);
  const [market, setMarket] = useState<MarketView | null>(null);
  useEffect(() => {
    if (got.data) {
      setView(got.data);
      setMarket(got.data.market);
    }
  }, [got.data]);
  // Listening keeps the agent's market refresh running while this screen is open.
  useEvent('market.updated', (m) => {
    setMarket(m);
    got.refresh();
  });
  // A pause or resume flips the bid script's paused flag: show it.
  useEvent('availability.changed', () => got.refresh());
  const [refreshing, setRefreshing] = useState(false);
  const refreshMarket = () => {
    setRefreshing(true);
    client
      .call('market.gpuPrices', { refresh: true })
      .then((m) => {
        setMarket(m);
        got.refresh();
      })
      .catch(() => undefined)
      .finally(() => setRefreshing(false));
  };

  return (
    <div className="page" data-testid="pricing-page">
      <div className="page-header">
        <div className="stack">
          <h1>Pricing</h1>
          <span className="muted">What this rig asks, next to what the Akash market pays, never below what the electricity costs.</span>
        </div>
        <div className="row">
          <span className={market?.offline ? 'badge-warn' : 'badge'} data-testid="market-age">
            Market {market?.snapshot ? formatOld(market.ageSeconds) : 'not fetched yet'}
            {market?.offline ? ' · offline, showing the last snapshot' : ''}
          </span>
          <button type="button" className="button" onClick={refreshMarket} disabled={refreshing} data-testid="market-refresh">
            {refreshing ? 'Fetching…' : 'Refresh market'}
          </button>
        </div>
      </div>
      {market?.error ? <div className="muted small">Last market refresh failed: {market.error}</div> : null}
      <AvailabilityControl />
      {got.error && !view ? <ErrorView error={got.error} onRetry={got.refresh} /> : null}
      {view ? <PriceEditor view={view} onApplied={(v) => setView(v)} /> : got.loading ? <div className="card skeleton skeleton-block" /> : null}
      {view ? <QuoteCard view={view} /> : null}
    </div>
  );
}

function Issues({ issues, testid }: { issues: PriceIssue[]; testid: string }): ReactNode {
  if (issues.length === 0) return null;
  return (
    <ul className="plain-list stack" data-testid={testid}>
      {issues.map((i) => (
        <li key={`${i.key}-${i.message}`} className="row" data-severity={i.severity}>
          <span className={i.severity === 'refuse' ? 'badge-block' : i.severity === 'warn' ? 'badge-warn' : 'badge'}>{i.severity === 'refuse' ? 'refused' : i.severity === 'warn' ? 'warning' : 'note'}</span>
          <span>{i.message}</span>
        </li>
      ))}
    </ul>
  );
}

function PriceEditor({ view, onApplied }: { view: PricingView; onApplied: (v: PricingView) => void }): ReactNode {
  const client = useClient();
  const [fields, setFields] = useState<Fields>(() => fieldsOf(view));
  const [strategy, setStrategy] = useState(view.settings.strategy);
  const [allowBelowFloor, setAllowBelowFloor] = useState(view.settings.allowBelowFloor);
  const [marketPosition, setMarketPosition] = useState(view.settings.marketPosition);
  const [newGpu, setNewGpu] = useState({ key: '', price: '' });
  const [utilization, setUtilization] = useState(view.settings.utilizationPct);
  const [applying, setApplying] = useState(false);
  const [applied, setApplied] = useState<{ issues: PriceIssue[]; message: string } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reset = (v: PricingView) => {
    setFields(fieldsOf(v));
    setStrategy(v.settings.strategy);
    setAllowBelowFloor(v.settings.allowBelowFloor);
    setMarketPosition(v.settings.marketPosition);
    setNewGpu({ key: '', price: '' });
  };
  // A new view (market refresh, pause) refreshes the fields unless the person is editing them.
  const [shownFrom, setShownFrom] = useState(view);
  useEffect(() => {
    if (view === shownFrom) return;
    if (JSON.stringify(fields) === JSON.stringify(fieldsOf(shownFrom))) setFields(fieldsOf(view));
    setShownFrom(view);
  }, [view, shownFrom, fields]);
  const draft = useMemo(() => draftOf(view, fields, { strategy, allowBelowFloor, marketPosition, newGpu }), [view, fields, strategy, allowBelowFloor, marketPosition, newGpu]);
  const hasErrors = Object.keys(draft.errors).length > 0;
  const estimate = useCall('pricing.estimate', hasErrors || !draft.patch ? { utilizationPct: utilization } : { utilizationPct: utilization, patch: draft.patch });
  const refused = (estimate.data?.proposedIssues ?? []).some((i) => i.severity === 'refuse');
  const set = (path: string) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [path]: e.target.value }));

  const apply = () => {
    if (!draft.patch) return;
    setApplying(true);
    setError(null);
    client
      .call('pricing.set', { patch: draft.patch })
      .then((r) => {
        onApplied(r.view);
        reset(r.view);
        setApplied({ issues: r.issues, message: r.view.bidScript.provider.message });
        estimate.refresh();
      })
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setApplying(false));
  };

  const input = (path: string, label: string, testid: string, placeholder?: string) => (
    <span className="stack price-input">
      <input className={`input${draft.errors[path] ? ' input-error' : ''}`} inputMode="decimal" aria-label={label} placeholder={placeholder} value={fields[path] ?? ''} onChange={set(path)} data-testid={testid} />
      {draft.errors[path] ? <span className="field-error small">{draft.errors[path]}</span> : null}
    </span>
  );

  return (
    <>
      <section className="card stack" data-testid="gpu-prices">
        <div className="card-header">
          <h2>GPU prices (USD per GPU-hour)</h2>
          <span className="muted small">Market = what providers bid for that model on Akash in the last month (the middle bid, the median, is shown)</span>
        </div>
        {/* A narrow window scrolls the table inside its card, never the whole page sideways. */}
        <div className="table-scroll">
          <table className="table price-table">
            <thead>
              <tr>
                <th>Model</th>
                <th>Your price</th>
                <th>Bids at</th>
                <th>Market</th>
                <th>Power floor</th>
                <th>Net per hour</th>
              </tr>
            </thead>
            <tbody>
              {view.resolved.gpus.map((g) => (
                <tr key={g.key} data-testid={`gpu-row-${g.key}`}>
                  <td>
                    <span className="mono">{g.key}</span> {g.local ? <span className="badge-ok">this rig</span> : null}
                  </td>
                  <td>{input(`gpu:${g.key}`, `Price for ${g.key}`, `gpu-price-${g.key}`, g.source === 'market' ? 'market' : undefined)}</td>
                  <td>
                    <span data-testid={`gpu-bid-${g.key}`}>{formatUsd(g.usdPerHour)}</span>
                    {g.source === 'market' ? <span className="muted small"> (market)</span> : null}
                    <WinChanceLabel gpu={g} />
                  </td>
                  <td data-testid={`gpu-market-${g.key}`}>
                    {formatUsd(g.marketMedianUsdPerHour)}
                    {g.marketMedianUsdPerHour !== null && market(view) ? <span className="muted small"> · {formatOld(view.market.ageSeconds)}</span> : null}
                    {supply(view, g.key)}
                  </td>
                  <td data-testid={`gpu-floor-${g.key}`}>{formatUsd(g.floorUsdPerHour)}</td>
                  <td>{formatUsd(g.powerUsdPerHour === null ? null : g.usdPerHour - g.powerUsdPerHour)}</td>
                </tr>
              ))}
              <tr className="price-new-row">
                <td>
                  <input className="input" aria-label="Another GPU model" placeholder="e.g. a100.80Gi" value={newGpu.key} onChange={(e) => setNewGpu({ ...newGpu, key: e.target.value })} data-testid="gpu-new-key" />
                  {draft.errors['gpu:new'] ? <span className="field-error small">{draft.errors['gpu:new']}</span> : null}
                </td>
                <td>
                  <input className="input" aria-label="Its price" inputMode="decimal" placeholder="USD/h" value={newGpu.price} onChange={(e) => setNewGpu({ ...newGpu, price: e.target.value })} data-testid="gpu-new-price" />
                </td>
                <td colSpan={4} className="muted small">
                  Any other model: {view.resolved.gpuDefaultUsdPerHour === null ? 'no bid' : formatUsd(view.resolved.gpuDefaultUsdPerHour)}
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>

      <div className="grid-2">
        <section className="card stack" data-testid="strategy">
          <h2>Strategy</h2>
          <label className="row">
            <input type="radio" name="strategy" checked={strategy === 'fixed'} onChange={() => setStrategy('fixed')} data-testid="strategy-fixed" /> Fixed prices
          </label>
          <label className="row">
            <input type="radio" name="strategy" checked={strategy === 'follow-market'} onChange={() => setStrategy('follow-market')} data-testid="strategy-market" /> Follow the market at
            {input('followMarket.percentOfMedian', 'Percent of the market median', 'market-percent')} % of the median
          </label>
          <MarketPositionControl value={marketPosition} onChange={setMarketPosition} disabled={strategy === 'follow-market'} />
          <label className="row">
            Ceiling {input('followMarket.ceilingUsdPerHour', 'Ceiling in USD per GPU-hour (empty: none)', 'market-ceiling')} USD/h (empty: none); floor: the power floor
          </label>
          <label className="row check-label">
            <input type="checkbox" checked={allowBelowFloor} onChange={(e) => setAllowBelowFloor(e.target.checked)} data-testid="allow-below-floor" /> Allow bids below the power floor (every rented hour then loses money)
          </label>
        </section>
        <section className="card stack" data-testid="power">
          <h2>Power floor</h2>
          <label className="row">
            Electricity {input('power.pricePerKwh', 'Electricity price per kWh', 'power-price')} {view.settings.power.currency} per kWh
          </label>
          <label className="row">
            Rest of the rig {input('power.rigShareWatts', 'Watts of the rest of the rig', 'power-rig-watts')} W per rented GPU
          </label>
          <div className="muted small">
            Floor = electricity × (the GPU&apos;s {view.settings.power.gpuWattsSource === 'limit' ? 'power limit' : 'measured draw'} from nvidia-smi + the rest of the rig). RigLease never bids below it unless you allow it under Strategy.
          </div>
        </section>
      </div>

      <section className="card stack" data-testid="resource-prices">
        <h2>Resources (USD)</h2>
        <div className="grid resource-grid">
          {RESOURCE_FIELDS.map((f) => (
            <label key={f.path} className="row">
              <span className="resource-label">{f.label}</span>
              {input(f.path, `${f.label} ${f.unit}`, `price-${f.path}`)}
              <span className="muted small">{f.unit}</span>
            </label>
          ))}
        </div>
      </section>

      <EarningsCard estimate={estimate.data ?? null} error={estimate.error} utilization={utilization} onUtilization={setUtilization} changed={draft.patch !== null} />

      <section className="card stack" data-testid="apply-bar">
        <div className="row">
          <button type="button" className="button button-primary" disabled={!draft.patch || hasErrors || refused || applying} onClick={apply} data-testid="apply-prices">
            {applying ? 'Applying…' : 'Apply prices'}
          </button>
          <button type="button" className="button" disabled={!draft.patch || applying} onClick={() => reset(view)}>
            Undo changes
          </button>
          <span className="muted small">
            {hasErrors ? 'Fix the marked fields first.' : refused ? 'A price is refused (see below).' : draft.patch ? 'Preview above; nothing changes until you apply.' : 'No changes.'}
          </span>
        </div>
        <Issues issues={draft.patch ? (estimate.data?.proposedIssues ?? []) : view.resolved.issues} testid="price-issues" />
        {applied ? (
          <div className="stack" data-testid="applied">
            <span className="badge-ok">Applied</span>
            <span>{applied.message}</span>
            <Issues issues={applied.issues} testid="applied-issues" />
          </div>
        ) : null}
        {error ? <ErrorView error={error} title="The prices were not applied" /> : null}
        <div className="muted small" data-testid="bid-script-state">
          Bid script: {view.bidScript.paused ? `not bidding (${view.bidScript.pausedReason})` : 'bidding'} · provider: {view.bidScript.provider.message}
        </div>
      </section>
    </>
  );
}

const market = (v: PricingView) => v.market.snapshot !== null;

function supply(view: PricingView, key: string): ReactNode {
  const s = marketSupply(view, key);
  return s ? <div className="muted small" data-testid={`gpu-supply-${key}`}>{s.available} of {s.total} free on Akash</div> : null;
}

function EarningsCard({ estimate, error, utilization, onUtilization, changed }: { estimate: PricingEstimate | null; error: unknown; utilization: number; onUtilization: (n: number) => void; changed: boolean }): ReactNode {
  return (
    <section className="card stack" data-testid="earnings">
      <div className="card-header">
        <h2>Estimated monthly earnings</h2>
        <label className="row">
          at
          <input type="range" min={0} max={100} step={5} value={utilization} onChange={(e) => onUtilization(Number(e.target.value))} aria-label="Utilization" data-testid="utilization" />
          <span data-testid="utilization-value">{utilization}%</span> rented
        </label>
      </div>
      {error ? <ErrorView error={error} /> : null}
      {estimate ? (
        <table className="table earnings-table">
          <thead>
            <tr>
              <th />
              <th>Gross</th>
              <th>Electricity</th>
              <th>Net</th>
            </tr>
          </thead>
          <tbody>
            <tr data-testid="earnings-current">
              <td>Now</td>
              <td>{formatUsd(estimate.current.grossUsdPerMonth)}</td>
              <td>{formatUsd(estimate.current.powerUsdPerMonth)}</td>
              <td>
                <strong>{formatUsd(estimate.current.netUsdPerMonth)}</strong>
              </td>
            </tr>
            {changed && estimate.proposed ? (
              <tr data-testid="earnings-proposed">
                <td>With your changes</td>
                <td>{formatUsd(estimate.proposed.grossUsdPerMonth)}</td>
                <td>{formatUsd(estimate.proposed.powerUsdPerMonth)}</td>
                <td>
                  <strong>{formatUsd(estimate.proposed.netUsdPerMonth)}</strong> ({(estimate.deltaNetUsdPerMonth ?? 0) >= 0 ? '+' : ''}
                  {formatUsd(estimate.deltaNetUsdPerMonth)})
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
      {estimate ? <div className="muted small">{estimate.note}</div> : null}
    </section>
  );
}

function exampleOrder(view: PricingView): string {
  const local = view.resolved.gpus.find((g) => g.local);
  const [model, ram, iface] = (local?.key ?? 'rtx4090').split('.');
  const nvidia: Record<string, string> = { model: model ?? 'rtx4090' };
  if (ram) nvidia['ram'] = ram;
  if (iface) nvidia['interface'] = iface;
  return JSON.stringify(
    {
      resources: [{ cpu: 4000, memory: 17179869184, gpu: { units: 1, attributes: { vendor: { nvidia } } }, storage: [{ class: 'ephemeral', size: 107374182400 }], count: 1, endpoint_quantity: 1 }],
      price: { denom: 'uact', amount: '1000000' },
    },
    null,
    1,
  );
}

function QuoteCard({ view }: { view: PricingView }): ReactNode {
  const client = useClient();
  const [text, setText] = useState(() => exampleOrder(view));
  const [quote, setQuote] = useState<Quote | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = () => {
    setError(null);
    let order: unknown;
    try {
      order = JSON.parse(text);
    } catch {
      setError(toRigError(new Error('The order is not JSON. Paste what the bid engine gives the price script.')));
      return;
    }
    client
      .call('pricing.quote', { order })
      .then(setQuote)
      .catch((err: unknown) => setError(toRigError(err)));
  };
  return (
    <section className="card stack" data-testid="quote-card">
      <div className="card-header">
        <h2>Quote an order</h2>
        <button type="button" className="button" onClick={run} data-testid="quote-run">
          Quote
        </button>
      </div>
      <span className="muted small">The order JSON the provider&apos;s bid engine gives the price script; the bid script prints exactly this price for it.</span>
      <textarea className="input mono quote-order" rows={6} value={text} onChange={(e) => setText(e.target.value)} aria-label="Order JSON" data-testid="quote-order" />
      {error ? <ErrorView error={error} /> : null}
      {quote ? (
        <div className="stack" data-testid="quote-result" data-bid={quote.bid}>
          <strong data-testid="quote-price">{quote.bid ? `Bid ${quote.price} ${quote.denom} per block` : `No bid: ${quote.reason}`}</strong>
          <ol className="small mono" data-testid="quote-steps">
            {quote.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
          <span>
            Gross {formatUsd(quote.grossUsdPerHour)}/h · electricity {formatUsd(quote.powerUsdPerHour)}/h · net {formatUsd(quote.netUsdPerHour)}/h
          </span>
        </div>
      ) : null}
    </section>
  );
}
