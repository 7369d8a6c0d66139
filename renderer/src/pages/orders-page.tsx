import type { ReactNode } from 'react';
import { useCall } from '../api/hooks.js';
import { ErrorView } from '../components/error-view.js';
import { gpuText, maxText, perHourText, timeText } from '../components/orders/order-text.js';
import { Term } from '../components/term.js';
import { shortAddress } from '../components/wallet/akt.js';

/**
 * Why an order got no bid: every order the bid script saw today with its decision in plain words,
 * and the open orders on chain for this rig's GPUs with what the current prices would bid.
 */
export function OrdersPage(): ReactNode {
  const log = useCall('orders.log', { sinceHours: 24 });
  const open = useCall('orders.open', { sinceHours: 24 });
  const refresh = () => {
    log.refresh();
    open.refresh();
  };
  return (
    <div className="page" data-testid="orders-page">
      <div className="page-header">
        <div className="stack">
          <h1>Orders</h1>
          <span className="muted">What your bid script decided for each order, and why.</span>
        </div>
        <button type="button" className="button" onClick={refresh} disabled={log.loading || open.loading}>
          Refresh
        </button>
      </div>
      <section className="card stack" data-testid="orders-log">
        <h3>Orders your bid script saw in the last 24 h</h3>
        {log.error ? <ErrorView error={log.error} onRetry={log.refresh} /> : null}
        {log.data ? (
          <>
            <strong data-testid="orders-summary">{log.data.summary.line}</strong>
            <span className="small muted" data-testid="orders-source">
              {log.data.message}
            </span>
            {log.data.orders.length > 0 ? (
              <div className="table-scroll">
                <table className="table orders-table" data-testid="orders-table">
                  <thead>
                    <tr>
                      <th>When</th>
                      <th>Asks for</th>
                      <th>
                        Pays at most (per <Term k="block">block</Term>)
                      </th>
                      <th>Decision</th>
                    </tr>
                  </thead>
                  <tbody>
                    {log.data.orders.map((o, i) => (
                      <tr key={`${o.at}-${o.owner ?? ''}-${i}`} data-testid="order-row" data-decision={o.decision} data-code={o.code ?? ''}>
                        <td>{timeText(o.at)}</td>
                        <td>
                          {gpuText(o.gpus)}
                          {o.owner ? <span className="small muted"> · tenant {shortAddress(o.owner)}</span> : null}
                        </td>
                        <td>
                          {maxText(o.maxPrice, o.denom)}
                          <span className="small muted" data-testid="order-max-per-hour">
                            {' '}
                            {perHourText(o.maxPrice, o.denom)}
                          </span>
                        </td>
                        <td className={o.decision === 'bid' ? '' : 'muted'}>{o.words}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            <span className="small muted" data-testid="orders-not-seen">
              {log.data.notSeen}
            </span>
          </>
        ) : log.loading ? (
          <div className="skeleton skeleton-block" />
        ) : null}
      </section>
      <section className="card stack" data-testid="orders-open">
        <h3>Open orders on chain for your GPUs</h3>
        {open.error ? <ErrorView error={open.error} onRetry={open.refresh} /> : null}
        {open.data ? (
          <>
            <span className="small muted" data-testid="orders-open-message">
              {open.data.message}
            </span>
            {open.data.orders.length > 0 ? (
              <div className="table-scroll">
                <table className="table orders-table" data-testid="open-orders-table">
                  <thead>
                    <tr>
                      <th>Opened</th>
                      <th>Asks for</th>
                      <th>
                        Pays at most (per <Term k="block">block</Term>)
                      </th>
                      <th>Your current prices</th>
                    </tr>
                  </thead>
                  <tbody>
                    {open.data.orders.map((o) => (
                      <tr key={o.id} data-testid="open-order-row" data-would-bid={o.wouldBid ? 'yes' : 'no'}>
                        <td>{timeText(o.createdAt)}</td>
                        <td>
                          {gpuText(o.gpus)}
                          <span className="small muted"> · deployment {o.dseq}</span>
                        </td>
                        <td>
                          {maxText(o.maxPrice, o.denom)}
                          <span className="small muted" data-testid="order-max-per-hour">
                            {' '}
                            {perHourText(o.maxPrice, o.denom)}
                          </span>
                        </td>
                        <td className={o.wouldBid ? '' : 'muted'}>{o.words}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </>
        ) : open.loading ? (
          <div className="skeleton skeleton-block" />
        ) : null}
      </section>
    </div>
  );
}
