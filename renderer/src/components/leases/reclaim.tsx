import { useEffect, useState, type ReactNode } from 'react';
import type { Out } from '../../../../src/api/contract.js';
import type { LeaseRow } from '../../../../src/api/schemas/chain.js';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';
import { formatAkt } from '../wallet/akt.js';
import './reclaim.css';

type Preview = Out<'leases.reclaimPreview'>;

/** The current time, ticking every `ms` (for countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** "2 d 3 h", "1 h 5 min", "42 s" until `deadline` (unix seconds); "passed" once it has. */
export function countdown(deadline: number, now: number): string {
  const s = Math.floor(deadline - now / 1000);
  if (s <= 0) return 'passed';
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

export function formatWindow(seconds: number): string {
  return seconds % 3_600 === 0 ? `${seconds / 3_600} h` : `${Math.round(seconds / 60)} min`;
}

/** A lease's notice deadline with its countdown (shared by the Leases screen and the dashboard). */
export function NoticeDeadline({ deadline }: { deadline: number }): ReactNode {
  const now = useNow();
  const left = countdown(deadline, now);
  return (
    <span className="stack" data-testid="notice-deadline">
      <span>Notice ends {new Date(deadline * 1000).toLocaleString()}</span>
      <span className="small muted" data-testid="notice-countdown">
        {left === 'passed' ? 'The notice has run out: you may end the lease.' : `in ${left}`}
      </span>
    </span>
  );
}

/**
 * The Leases screen's notice controls for one lease (AEP-82), as a render prop: `cell` goes in
 * the row's Notice column, `detail` (the preview, the confirmation, the explanation) in a
 * full-width row below it. A lease bid with a window offers "Take GPU back (notice)": a preview
 * of what happens (deadline, fee) and an explicit confirmation, never a silent end. A reclaiming
 * lease shows its deadline counting down, then "End lease" (confirmed too). A lease without a
 * window says why it cannot be reclaimed politely.
 */
export function NoticeControls({ lease, onChanged, children }: { lease: LeaseRow; onChanged: () => void; children: (cell: ReactNode, detail: ReactNode | null) => ReactNode }): ReactNode {
  const client = useClient();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [why, setWhy] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);
  const now = useNow(5000);
  const ref = { owner: lease.owner, dseq: lease.dseq, gseq: lease.gseq, oseq: lease.oseq };
  const r = lease.reclamation ?? null;
  const run = (work: () => Promise<unknown>): void => {
    setBusy(true);
    setError(null);
    work()
      .catch((e: unknown) => setError(toRigError(e)))
      .finally(() => setBusy(false));
  };
  const errorView = error ? <ErrorView error={error} /> : null;

  if (lease.state === 'reclaiming' && r?.deadline) {
    // The chain judges by its block time; a click a few seconds early is refused with the deadline.
    const passed = r.deadline * 1000 <= now;
    const cell = (
      <div className="stack" data-testid="notice-cell">
        <span className="badge badge-warn">Notice given</span>
        <NoticeDeadline deadline={r.deadline} />
        {passed ? (
          <button type="button" className="button button-small" disabled={busy || confirmClose} data-testid="reclaim-close" onClick={() => setConfirmClose(true)}>
            End lease
          </button>
        ) : null}
      </div>
    );
    const detail =
      (passed && confirmClose) || errorView ? (
        <div className="stack reclaim-confirm" role="group" aria-label="End lease" data-testid="reclaim-close-detail">
          {passed && confirmClose ? (
            <>
              <span>
                End the lease of {lease.owner} ({lease.dseq} / {lease.gseq} / {lease.oseq})? Its notice has run out; the tenant&apos;s deployment stops and the GPU is yours again.
              </span>
              <ConfirmRow
                busy={busy}
                label="End lease now"
                busyLabel="Ending…"
                testId="reclaim-close-confirm"
                onCancel={() => setConfirmClose(false)}
                onConfirm={() =>
                  run(async () => {
                    await client.call('leases.closeReclaimed', { ...ref, confirm: true });
                    setConfirmClose(false);
                    onChanged();
                  })
                }
              />
            </>
          ) : null}
          {errorView}
        </div>
      ) : null;
    return children(cell, detail);
  }
  if (lease.state !== 'active') return children(<span className="muted">—</span>, null);
  if (!r) {
    const cell = (
      <div className="stack" data-testid="notice-cell">
        <button type="button" className="button button-small" onClick={() => setWhy((w) => !w)} data-testid="reclaim-unavailable" aria-expanded={why}>
          Can&apos;t be reclaimed politely
        </button>
      </div>
    );
    const detail = why ? (
      <span className="small" data-testid="reclaim-why">
        This lease was bid without a notice window, so there is no way to give its tenant notice (AEP-82 notice needs a window promised when bidding). It runs until the tenant ends it. To stop new leases, pause bidding (Availability); to make future leases reclaimable, set a notice window below.
      </span>
    ) : null;
    return children(cell, detail);
  }
  const cell = (
    <div className="stack" data-testid="notice-cell">
      <span className="small muted">Notice window {formatWindow(r.windowSeconds)}</span>
      <button
        type="button"
        className="button button-small"
        disabled={busy || preview !== null}
        data-testid="reclaim-start"
        onClick={() => run(async () => setPreview(await client.call('leases.reclaimPreview', { ...ref })))}
      >
        Take GPU back (notice)
      </button>
    </div>
  );
  const detail =
    preview !== null || errorView ? (
      <div className="stack reclaim-confirm" data-testid="reclaim-preview" role="group" aria-label="Give notice">
        {preview?.reclaimable ? (
          <>
            <strong>
              Give notice on {lease.owner} ({lease.dseq} / {lease.gseq} / {lease.oseq})?
            </strong>
            <ul className="small">
              {preview.whatHappens.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
            <span>
              Deadline about <strong data-testid="reclaim-estimated-deadline">{new Date((preview.estimatedDeadline ?? 0) * 1000).toLocaleString()}</strong> (in {countdown(preview.estimatedDeadline ?? 0, now)}) · fee {formatAkt(Number(preview.feeUakt ?? 0))}
            </span>
            <ConfirmRow
              busy={busy}
              label="Give notice"
              busyLabel="Giving notice…"
              testId="reclaim-confirm"
              onCancel={() => setPreview(null)}
              onConfirm={() =>
                run(async () => {
                  await client.call('leases.reclaim', { ...ref, confirm: true });
                  setPreview(null);
                  onChanged();
                })
              }
            />
          </>
        ) : preview ? (
          <span className="small">{preview.whyNot}</span>
        ) : null}
        {errorView}
      </div>
    ) : null;
  return children(cell, detail);
}

/** The primary "yes" and a Cancel, both disabled while the call runs. */
function ConfirmRow({ busy, label, busyLabel, testId, onConfirm, onCancel }: { busy: boolean; label: string; busyLabel: string; testId: string; onConfirm: () => void; onCancel: () => void }): ReactNode {
  return (
    <div className="row">
      <button type="button" className="button button-small button-primary" disabled={busy} data-testid={testId} onClick={onConfirm}>
        {busy ? busyLabel : label}
      </button>
      <button type="button" className="button button-small" disabled={busy} onClick={onCancel} data-testid={`${testId}-cancel`}>
        Cancel
      </button>
    </div>
  );
}

/**
 * The notice window offered with new bids (stack.reclamationWindowHours): off, or 1..720 hours.
 * Shown with what it means for the user, because it is a promise to every future tenant.
 */
export function NoticeWindowSetting({ hours }: { hours: number | null }): ReactNode {
  const client = useClient();
  const [text, setText] = useState(hours === null ? '' : String(hours));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => setText(hours === null ? '' : String(hours)), [hours]);
  const save = (value: number | null): void => {
    setError(null);
    setSaved(false);
    client
      .call('settings.set', { key: 'stack.reclamationWindowHours', value })
      .then(() => setSaved(true))
      .catch((e: unknown) => {
        const err = toRigError(e);
        setError(err.fix ? `${err.message} ${err.fix}` : err.message);
      });
  };
  return (
    <div className="stack" data-testid="notice-window-setting">
      <label className="stack">
        <span>Notice window for new leases (hours, 1–720; empty = none)</span>
        <span className="row">
          <input className="input input-narrow" inputMode="numeric" value={text} onChange={(e) => setText(e.target.value)} placeholder="none" aria-label="Notice window in hours" data-testid="notice-window-input" />
          <button type="button" className="button button-small" data-testid="notice-window-save" onClick={() => save(text.trim() === '' ? null : Number(text))}>
            Save
          </button>
        </span>
      </label>
      <span className="small muted">
        A notice window is a promise to every tenant who rents your GPU from then on: you can take it back only after giving that much notice — not sooner, not even for a game. Without one, leases cannot be reclaimed politely. It applies to new bids after the next stack update, never to running leases.
      </span>
      {saved ? <span className="small" data-testid="notice-window-saved">Saved. The provider offers it after the next &quot;Update stack&quot;.</span> : null}
      {error ? (
        <span className="field-error small" role="alert" data-testid="notice-window-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
