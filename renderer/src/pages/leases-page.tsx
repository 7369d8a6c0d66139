import { useCallback, useState, type ReactNode } from 'react';
import type { Out } from '../../../src/api/contract.js';
import { useCall } from '../api/hooks.js';
import { ErrorView } from '../components/error-view.js';
import { unitOf } from '../../../src/api/money-format.js';
import { formatAmount, formatUsd, shortAddress } from '../components/wallet/akt.js';
import { Amount } from '../components/wallet/amount.js';
import { WithdrawButton } from '../components/wallet/withdraw-button.js';
import { CsvButton } from '../components/leases/csv-button.js';
import { NoticeControls, NoticeWindowSetting } from '../components/leases/reclaim.js';
import { Denom, Term } from '../components/term.js';

type State = 'active' | 'insufficient_funds' | 'closed' | 'reclaiming';
type Money = Out<'earnings.get'>['perDay'];
const PAGE = 25;

/** Leases and earnings: what this provider earns, its leases with escrow, and the withdraw action. */
export function LeasesPage(): ReactNode {
  const earnings = useCall('earnings.get', {});
  const [state, setState] = useState<State | 'all'>('active');
  // Keys of the pages before the current one, so Back works with the chain's key pagination.
  const [keys, setKeys] = useState<(string | null)[]>([null]);
  const key = keys[keys.length - 1] ?? null;
  const leases = useCall('leases.list', { ...(state === 'all' ? {} : { state }), limit: PAGE, key });
  const settings = useCall('settings.all', {});
  // Leases under AEP-82 notice still run: the Active view shows them first (a node without AEP-82 refuses the filter: then none).
  const reclaiming = useCall('leases.list', state === 'active' && keys.length === 1 ? { state: 'reclaiming', limit: 1000, key: null } : null);
  const refresh = useCallback(() => {
    earnings.refresh();
    leases.refresh();
    reclaiming.refresh();
  }, [earnings.refresh, leases.refresh, reclaiming.refresh]);
  const e = earnings.data;
  const unit = e?.denom === 'uact' ? 'ACT' : 'AKT';
  const underNotice = state === 'active' && keys.length === 1 && !reclaiming.error ? (reclaiming.data?.leases ?? []) : [];
  const page = leases.data ? { ...leases.data, leases: [...underNotice, ...leases.data.leases] } : undefined;
  const first = (keys.length - 1) * PAGE;

  return (
    <div className="page" data-testid="leases-page">
      <div className="page-header">
        <div className="stack">
          <h1>Leases &amp; earnings</h1>
          <span className="muted">What tenants pay this provider, read from the chain.</span>
        </div>
        <button type="button" className="button" onClick={refresh} disabled={earnings.loading || leases.loading}>
          Refresh
        </button>
      </div>
      <section className="card stack" data-testid="earnings-card">
        <div className="card-header">
          <h3>Earnings</h3>
          <div className="row">
            <CsvButton />
            <WithdrawButton onDone={refresh} />
          </div>
        </div>
        {earnings.error ? <ErrorView error={earnings.error} onRetry={earnings.refresh} /> : null}
        {e ? (
          <>
            {/* Leases pay ACT since BME (1 ACT = $1); older leases priced in AKT keep AKT. */}
            <div className="earnings-grid">
              <Figure label="Earned, last 24 h" money={e.perDay} unit={unit} testId="earn-day" />
              <Figure label="Earned, last 7 days" money={e.perWeek} unit={unit} testId="earn-week" />
              <Figure label="Earned, last 30 days" money={e.perMonth} unit={unit} testId="earn-month" />
            </div>
            <div className="earnings-grid">
              <Figure label="Earned, all time" money={e.earned} unit={unit} testId="earn-earned" />
              <Figure label="Withdrawn" money={e.withdrawn} unit={unit} testId="earn-withdrawn" />
              <Figure label="Pending withdrawal" money={e.pendingWithdrawal} unit={unit} testId="earn-pending" />
            </div>
            <span className="small muted" data-testid="earnings-note">
              {e.activeLeases} active leases. Earned = price per block × the blocks each lease ran (active and closed), at{' '}
              {e.blockTime.secondsPerBlock.toFixed(2)} s a block ({e.blockTime.source === 'measured' ? `measured from blocks ${e.blockTime.sampledFrom ?? ''}–${e.blockTime.height}` : 'assumed: the chain could not be measured'}
              ). Pending withdrawal is what escrow has settled and not yet paid out. {e.usdSource === 'peg'
                ? `Paid in ACT: 1 ACT = $1 on chain${e.aktEquivalent?.earnedUakt ? `; earned ≈ ${formatAmount(e.aktEquivalent.earnedUakt)} at the chain oracle's $${e.aktUsd ?? '?'} per AKT` : ''}.`
                : e.usdPerUnit === null
                ? 'USD: no AKT price known yet (refresh the market on the Pricing screen, or set a manual AKT price there).'
                : `1 AKT = ${formatUsd(e.usdPerUnit)}${e.usdSource === 'market' ? ` (market price${e.usdAt ? ` of ${new Date(e.usdAt).toLocaleString()}` : ''})` : e.usdSource === 'manual' ? ' (your manual AKT price)' : ''}.`}{' '}
              Read {e.leasesScanned} leases in {e.pages} page{e.pages === 1 ? '' : 's'} ({e.tookMs} ms).
            </span>
          </>
        ) : earnings.loading ? (
          <div className="skeleton" />
        ) : null}
      </section>
      <section className="card stack" data-testid="leases-card">
        <div className="card-header">
          <h3>
            Leases{page?.total !== null && page?.total !== undefined ? ` (${page.total})` : ''}
            {underNotice.length > 0 ? ` + ${underNotice.length} under notice` : ''}
          </h3>
          <select
            className="button"
            value={state}
            onChange={(ev) => {
              setState(ev.target.value as State | 'all');
              setKeys([null]);
            }}
            aria-label="Lease state"
            data-testid="lease-state"
          >
            <option value="active">Active</option>
            <option value="reclaiming">Notice given</option>
            <option value="insufficient_funds">Out of funds</option>
            <option value="closed">Closed</option>
            <option value="all">All</option>
          </select>
        </div>
        {leases.error ? <ErrorView error={leases.error} onRetry={leases.refresh} /> : null}
        {page ? (
          page.leases.length === 0 ? (
            <span className="muted" data-testid="no-leases">
              No {state === 'all' ? '' : state.replace('_', ' ')} leases.
            </span>
          ) : (
            <div className="table-scroll">
              <table className="table lease-table" data-testid="lease-table">
                <thead>
                  <tr>
                    <th>Tenant</th>
                    <th>
                      <Term k="dseq">Lease no. (dseq / gseq / oseq)</Term>
                    </th>
                    <th>State</th>
                    <th>Resources</th>
                    <th>
                      Price per <Term k="block">block</Term>
                    </th>
                    <th>
                      Since <Term k="block">block</Term>
                    </th>
                    <th>
                      Pending withdrawal (<Term k="escrow">escrow</Term>)
                    </th>
                    <th>Withdrawn</th>
                    <th>Notice</th>
                  </tr>
                </thead>
                <tbody>
                  {page.leases.map((l) => (
                    <NoticeControls key={`${l.owner}/${l.dseq}/${l.gseq}/${l.oseq}/${l.bseq}`} lease={l} onChanged={refresh}>
                      {(notice, detail) => (
                        <>
                    <tr data-testid="lease-row">
                      <td className="mono" title={l.owner}>
                        {shortAddress(l.owner)}
                      </td>
                      <td className="mono">
                        {l.dseq} / {l.gseq} / {l.oseq}
                      </td>
                      <td>
                        <span className={`badge ${l.state === 'active' ? 'badge-ok' : l.state === 'insufficient_funds' || l.state === 'reclaiming' ? 'badge-warn' : ''}`}>{l.state.replace('_', ' ')}</span>
                      </td>
                      <td data-testid="lease-resources">{l.resources?.summary ?? '—'}</td>
                      <td>
                        {l.pricePerBlock} <Denom denom={l.denom} />
                      </td>
                      <td>{l.createdAt}</td>
                      <td>{l.ledger ? <Amount micro={l.ledger.pendingMicro} unit={unitOf(l.denom)} /> : '—'}</td>
                      <td>{l.ledger ? <Amount micro={l.ledger.withdrawnMicro} unit={unitOf(l.denom)} /> : l.escrow ? <Amount micro={l.escrow.withdrawn} unit={unitOf(l.denom)} /> : '—'}</td>
                      <td>{notice}</td>
                    </tr>
                    {detail ? (
                      <tr className="lease-detail" data-testid="lease-notice-detail">
                        <td colSpan={9}>{detail}</td>
                      </tr>
                    ) : null}
                        </>
                      )}
                    </NoticeControls>
                  ))}
                </tbody>
              </table>
            </div>
          )
        ) : leases.loading ? (
          <div className="skeleton" />
        ) : null}
        {page && (keys.length > 1 || page.nextKey) ? (
          <div className="row">
            {/* While a page loads, the rows and nextKey shown are still the previous page's: paging then would skip or repeat a page. */}
            <button type="button" className="button button-small" disabled={keys.length <= 1 || leases.loading} onClick={() => setKeys((k) => k.slice(0, -1))} data-testid="lease-prev">
              Previous
            </button>
            <span className="small muted" data-testid="lease-range">
              {leases.loading ? 'Loading…' : `${first + 1}–${first + page.leases.length - underNotice.length}`}
            </span>
            <button type="button" className="button button-small" disabled={!page.nextKey || leases.loading} onClick={() => setKeys((k) => [...k, page.nextKey])} data-testid="lease-next">
              Next
            </button>
          </div>
        ) : null}
      </section>
      <section className="card stack" data-testid="notice-card">
        <h3>Taking your GPU back</h3>
        <span className="small muted">
          To stop new leases, pause bidding (Availability). A running lease can be taken back politely only if it was won with a notice window: give notice, the tenant keeps it until the deadline, then you end it.
        </span>
        {settings.data ? <NoticeWindowSetting hours={settings.data.stack.reclamationWindowHours} /> : null}
      </section>
    </div>
  );
}

function Figure({ label, money, unit, testId }: { label: string; money: Money; unit: 'ACT' | 'AKT'; testId: string }): ReactNode {
  return (
    <div className="stack figure" data-testid={testId}>
      <span className="muted small">{label}</span>
      <strong>
        <Amount micro={money.micro} unit={unit} />
      </strong>
      <span className="small muted">{formatUsd(money.usd)}</span>
    </div>
  );
}
