import { useEffect, useState, type ReactNode } from 'react';
import type { Settings } from '../../../src/api/schemas/settings.js';
import { toRigError, useCall } from '../api/hooks.js';
import { useClient } from '../api/client-context.js';
import { ErrorView } from '../components/error-view.js';
import { GamingAndLeases } from '../components/availability/gaming-and-leases.js';
import { AvailabilityControl } from '../components/pricing/availability-control.js';

/**
 * Availability: online / paused / offline with the reason, pause for a while, and every
 * automatic change (gaming, schedule, a pause running out) with its reason. Gaming mode and
 * idle-only are set here too.
 */
export function AvailabilityPage(): ReactNode {
  return (
    <div className="page" data-testid="availability-page">
      <div className="page-header">
        <div className="stack">
          <h1>Availability</h1>
          <span className="muted">When this rig takes new work, and when it gives the GPU back to you.</span>
        </div>
      </div>
      <AvailabilityControl history />
      <AutomaticRules />
    </div>
  );
}

function AutomaticRules(): ReactNode {
  const client = useClient();
  const got = useCall('settings.get', { key: 'availability' });
  const windowHours = useCall('settings.get', { key: 'stack.reclamationWindowHours' });
  const [value, setValue] = useState<Settings['availability'] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (got.data) setValue(got.data.value as Settings['availability']);
  }, [got.data]);
  const save = (key: string, v: unknown) => {
    setError(null);
    client
      .call('settings.set', { key: `availability.${key}`, value: v })
      // A new schedule or gaming setting applies now: a fresh check publishes the new state.
      .then(() => {
        got.refresh();
        return client.call('availability.get', {});
      })
      .catch((err: unknown) => setError(toRigError(err)));
  };
  if (!value) return got.error ? <ErrorView error={got.error} /> : null;
  return (
    <section className="card stack" data-testid="availability-rules">
      <h2>Automatic pauses</h2>
      <label className="row">
        <input type="checkbox" checked={value.gaming.enabled} onChange={(e) => save('gaming.enabled', e.target.checked)} data-testid="gaming-enabled" />
        Gaming mode: pause bidding while a game or any other program (not RigLease) uses the GPU
      </label>
      <label className="row">
        Resume
        <input className="input input-narrow" inputMode="numeric" aria-label="Minutes after the game stops" defaultValue={value.gaming.resumeAfterMinutes} onBlur={(e) => save('gaming.resumeAfterMinutes', Number(e.target.value))} data-testid="gaming-resume" />
        minutes after it stops. The desktop itself (Xorg, GNOME, KDE, Windows Explorer) never counts.
      </label>
      <GamingAndLeases windowHours={typeof windowHours.data?.value === 'number' ? windowHours.data.value : null} />
      <label className="row">
        <input type="checkbox" checked={value.idleOnly.enabled} onChange={(e) => save('idleOnly.enabled', e.target.checked)} data-testid="idle-enabled" />
        Idle-only: bid only after {value.idleOnly.idleMinutes} minutes without keyboard or mouse input (desktop app only; the headless server cannot see input)
      </label>
      <ScheduleEditor schedule={value.schedule} save={save} />
      {error ? <ErrorView error={error} /> : null}
    </section>
  );
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Weekly windows (local time) when the rig bids; outside them it does not. An end before the start runs past midnight. */
function ScheduleEditor({ schedule, save }: { schedule: Settings['availability']['schedule']; save: (key: string, v: unknown) => void }): ReactNode {
  const [days, setDays] = useState<number[]>([1, 2, 3, 4, 5]);
  const [start, setStart] = useState('18:00');
  const [end, setEnd] = useState('08:00');
  const valid = /^([01]\d|2[0-3]):[0-5]\d$/.test(start) && /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(end) && days.length > 0;
  const toggle = (d: number) => setDays((cur) => (cur.includes(d) ? cur.filter((x) => x !== d) : [...cur, d].sort()));
  return (
    <div className="stack" data-testid="schedule">
      <label className="row">
        <input type="checkbox" checked={schedule.enabled} onChange={(e) => save('schedule.enabled', e.target.checked)} data-testid="schedule-enabled" />
        Weekly schedule: bid only inside these windows (this machine&apos;s local time)
      </label>
      {schedule.windows.length === 0 ? (
        <div className="muted small">No windows yet: with the schedule on but empty, the rig bids around the clock.</div>
      ) : (
        <ul className="plain-list stack">
          {schedule.windows.map((w, i) => (
            <li key={`${w.days.join(',')}-${w.start}-${w.end}`} className="row" data-testid="schedule-window">
              <span>
                {w.days.map((d) => DAY_NAMES[d]).join(', ')} {w.start}–{w.end}
                {w.start === w.end ? ' (all day)' : w.end < w.start ? ' (past midnight)' : ''}
              </span>
              <button type="button" className="button button-small" onClick={() => save('schedule.windows', schedule.windows.filter((_, j) => j !== i))}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        {DAY_NAMES.map((name, d) => (
          <label key={name} className="row small">
            <input type="checkbox" checked={days.includes(d)} onChange={() => toggle(d)} /> {name}
          </label>
        ))}
        <input className="input input-narrow" aria-label="From (HH:MM)" value={start} onChange={(e) => setStart(e.target.value)} data-testid="schedule-start" />
        to
        <input className="input input-narrow" aria-label="To (HH:MM)" value={end} onChange={(e) => setEnd(e.target.value)} data-testid="schedule-end" />
        <button type="button" className="button" disabled={!valid} onClick={() => save('schedule.windows', [...schedule.windows, { days, start, end }])} data-testid="schedule-add">
          Add window
        </button>
        {!valid ? <span className="field-error small">Times are HH:MM (00:00–24:00) and at least one day is needed.</span> : null}
      </div>
    </div>
  );
}
