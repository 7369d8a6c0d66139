import { useEffect, useState, type ReactNode } from 'react';
import type { In } from '../../../../src/api/contract.js';
import type { AvailabilityStatus, LeaseSummary } from '../../../../src/api/methods/availability.js';
import { useCall, useEvent, toRigError } from '../../api/hooks.js';
import { useClient } from '../../api/client-context.js';
import { ErrorView } from '../error-view.js';
import { formatTime } from '../../format.js';

const LABEL: Record<AvailabilityStatus['activity'], string> = {
  online: 'Online',
  paused: 'Paused',
  gaming: 'Gaming',
  scheduled: 'Outside schedule',
  'idle-wait': 'Waiting for idle',
  offline: 'Offline',
};
const BADGE: Record<AvailabilityStatus['activity'], string> = {
  online: 'badge-ok',
  paused: 'badge-warn',
  gaming: 'badge-warn',
  scheduled: 'badge',
  'idle-wait': 'badge',
  offline: 'badge-block',
};

/** Tomorrow 08:00 local, as the tray and the CLI mean "until tomorrow". */
function tomorrowMorning(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 8, 0, 0, 0).toISOString();
}

function whenText(iso: string): string {
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? formatTime(iso) : d.toLocaleString();
}

/**
 * Whether the rig bids: the state, why, one switch, "pause for…", and going offline only after
 * a confirmation that lists the leases that would end. `history` adds the log of changes.
 */
export function AvailabilityControl({ history = false }: { history?: boolean }): ReactNode {
  const client = useClient();
  const got = useCall('availability.get', {});
  const [status, setStatus] = useState<AvailabilityStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState<{ leases: LeaseSummary[]; message: string } | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (got.data) setStatus(got.data);
  }, [got.data]);
  useEvent('availability.changed', (s) => {
    setStatus(s);
    setGeneration((g) => g + 1);
  });
  // Automatic pauses and resumes (gaming mode) also arrive as notifications: show the last one.
  const [note, setNote] = useState<{ title: string; body: string; at: string } | null>(null);
  useEvent('app.notification', (n) => {
    if (n.source === 'availability') setNote(n);
  });

  const set = (input: In<'availability.set'>) => {
    setBusy(true);
    setError(null);
    client
      .call('availability.set', input)
      .then((r) => {
        setStatus(r.status);
        setConfirm(r.confirmation);
        setGeneration((g) => g + 1);
      })
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setBusy(false));
  };

  if (!status) return got.error ? <ErrorView error={got.error} onRetry={got.refresh} /> : <div className="card skeleton" />;
  return (
    <section className="card stack" data-testid="availability-control" data-activity={status.activity}>
      <div className="card-header">
        <h2>Availability</h2>
        <span className={BADGE[status.activity]} data-testid="availability-state">
          {LABEL[status.activity]}
        </span>
      </div>
      <div data-testid="availability-reason">{status.reason}</div>
      {note ? (
        <div className="row small" data-testid="availability-notification">
          <span className="badge">{formatTime(note.at)}</span>
          <strong>{note.title}</strong>
          <span>{note.body}</span>
        </div>
      ) : null}
      {status.resumesAt ? <div className="muted small">Bids again by itself at {whenText(status.resumesAt)}.</div> : null}
      {status.notes.map((n) => (
        <div className="muted small" key={n}>
          {n}
        </div>
      ))}
      <div className="row">
        {status.mode === 'online' ? (
          <button type="button" className="button button-primary" disabled={busy} onClick={() => set({ mode: 'pause' })} data-testid="availability-pause">
            Pause bidding
          </button>
        ) : (
          <button type="button" className="button button-primary" disabled={busy} onClick={() => set({ mode: 'online' })} data-testid="availability-online">
            {status.mode === 'offline' ? (status.farm ? 'Go online (take leases again)' : 'Go online (start the provider)') : 'Resume bidding'}
          </button>
        )}
        <button type="button" className="button" disabled={busy} onClick={() => set({ mode: 'pause', forMinutes: 60 })} data-testid="availability-pause-1h">
          Pause for 1 h
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => set({ mode: 'pause', until: tomorrowMorning() })} data-testid="availability-pause-tomorrow">
          Pause until tomorrow 08:00
        </button>
        {status.mode !== 'offline' ? (
          <button type="button" className="button" disabled={busy} onClick={() => set({ mode: 'offline' })} data-testid="availability-offline">
            Go offline…
          </button>
        ) : null}
      </div>
      <div className="muted small">Pausing stops new bids; running leases keep running and keep paying.</div>
      {confirm ? (
        <div className="error-view stack" role="alertdialog" data-testid="offline-confirm">
          <h3>{status.farm ? `Drain this machine's node on ${status.farm.controller}?` : 'Stop the provider?'}</h3>
          <div>{confirm.message}</div>
          {confirm.leases.length > 0 ? (
            <ul data-testid="offline-leases">
              {confirm.leases.map((l) => (
                <li key={l.id}>{l.description}</li>
              ))}
            </ul>
          ) : null}
          <div className="row">
            <button type="button" className="button" disabled={busy} onClick={() => set({ mode: 'offline', confirm: true })} data-testid="offline-confirm-yes">
              {status.farm ? 'Drain this machine' : 'Stop the provider'}{confirm.leases.length > 0 ? ` and end ${confirm.leases.length} lease${confirm.leases.length === 1 ? '' : 's'}` : ''}
            </button>
            <button type="button" className="button button-primary" onClick={() => setConfirm(null)}>
              Keep running
            </button>
          </div>
        </div>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
      {history ? <AvailabilityHistory generation={generation} /> : null}
    </section>
  );
}

function AvailabilityHistory({ generation }: { generation: number }): ReactNode {
  const h = useCall('availability.history', { limit: 30 });
  const { refresh } = h;
  useEffect(() => {
    if (generation > 0) refresh();
  }, [generation, refresh]);
  if (h.error) return <ErrorView error={h.error} onRetry={h.refresh} />;
  const rows = h.data ?? [];
  return (
    <div className="stack" data-testid="availability-history">
      <h3>Changes</h3>
      {rows.length === 0 ? (
        <div className="muted">No changes yet.</div>
      ) : (
        <table className="table history-table">
          <tbody>
            {rows.map((e) => (
              <tr key={`${e.at}-${e.to}-${e.reason}`} data-automatic={e.automatic}>
                <td className="small mono">{new Date(e.at).toLocaleString()}</td>
                <td>
                  {e.from} → <strong>{e.to}</strong>
                </td>
                <td>
                  <span className={e.automatic ? 'badge' : 'badge-ok'}>{e.automatic ? 'automatic' : 'by you'}</span>
                </td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
