import type { ReactNode } from 'react';
import type { Out } from '../../../../src/api/contract.js';
import { ErrorView } from '../error-view.js';
import { KeyValues } from '../readiness/key-values.js';
import { formatAkt } from './akt.js';
import { Amount } from './amount.js';

type Status = Out<'wallet.status'>;

/** Balances and, when the wallet holds less than a provider needs, the exact shortfall. */
export function BalanceCard({ status, loading, onRefresh }: { status: Status; loading: boolean; onRefresh: () => void }): ReactNode {
  const b = status.balance;
  return (
    <section className="card stack" data-testid="balance-card">
      <div className="card-header">
        <h3>Balance</h3>
        <button type="button" className="button button-small" onClick={onRefresh} disabled={loading}>
          {loading ? 'Reading…' : 'Refresh'}
        </button>
      </div>
      {status.balanceError ? <ErrorView error={status.balanceError} title="The balance could not be read" onRetry={onRefresh} /> : null}
      {b ? (
        <>
          <div className="row" style={{ gap: '2rem' }}>
            <div className="stack">
              <div className="balance-big" data-testid="balance-act">
                <Amount micro={b.uact} unit="ACT" />
              </div>
              <span className="small muted">≈ {b.usd.act} · what leases pay you</span>
            </div>
            <div className="stack">
              <div className="balance-big" data-testid="balance-akt">
                <Amount micro={b.uakt} unit="AKT" />
              </div>
              <span className="small muted">
                {b.usd.akt ? `≈ ${b.usd.akt} at $${b.aktUsd ?? '?'}/AKT` : 'USD unknown (no oracle price)'} · pays fees and deposits
              </span>
            </div>
          </div>
          {b.warnings.map((w) => (
            <div key={w} className="shortfall" role="alert" data-testid="balance-warning">
              {w}
            </div>
          ))}
          <KeyValues
            rows={[
              ['USDC', <Amount key="usdc" micro={b.usdc} unit="USDC" />],
              ...b.other.map((c): [string, ReactNode] => [c.denom, c.amount]),
              ['Network', `${b.network} (${b.chainId})`],
            ]}
          />
          {b.shortfall.ok ? (
            <span className="badge badge-ok" data-testid="shortfall-ok">
              {b.shortfall.message}
            </span>
          ) : (
            <div className="shortfall stack" role="alert" data-testid="shortfall">
              <strong>Add {formatAkt(b.shortfall.missingUakt)} to run a provider</strong>
              <span>{b.shortfall.message}</span>
              <ul className="small">
                {b.shortfall.breakdown.map((x) => (
                  <li key={x.what}>
                    {formatAkt(x.uakt)}: {x.what}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
