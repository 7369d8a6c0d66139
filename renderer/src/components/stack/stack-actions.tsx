import { useState, type ReactNode } from 'react';
import type { StackStatus } from '../../../../src/api/schemas/stack.js';
import { RESTART_WARNING, STOP_WARNING, UPGRADE_WARNING, uninstallWarning } from '../../../../src/api/schemas/stack.js';

export type StackAction = 'stop' | 'start' | 'restart' | 'upgrade' | 'uninstall' | 'purge';

interface Confirmation {
  title: string;
  text: string;
  button: string;
  danger: boolean;
}

function confirmationFor(action: StackAction, volumes: string[]): Confirmation | null {
  switch (action) {
    case 'stop':
      return { title: 'Stop providing?', text: STOP_WARNING, button: 'Stop the stack', danger: false };
    case 'restart':
      return { title: 'Restart the stack?', text: RESTART_WARNING, button: 'Restart', danger: false };
    case 'upgrade':
      return { title: 'Upgrade the stack?', text: UPGRADE_WARNING, button: 'Upgrade', danger: false };
    case 'uninstall':
      return { title: 'Uninstall the provider stack?', text: uninstallWarning(false, volumes), button: 'Uninstall, keep data', danger: true };
    case 'purge':
      return { title: 'Uninstall and erase all data?', text: uninstallWarning(true, volumes), button: 'Erase everything', danger: true };
    case 'start':
      return null;
  }
}

/** Stop / start / restart / upgrade / uninstall, each asking first and saying what happens. */
export function StackActions({ status, busy, onRun }: { status: StackStatus; busy: boolean; onRun: (action: StackAction) => void }): ReactNode {
  const [asking, setAsking] = useState<StackAction | null>(null);
  const installed = status.overall !== 'not_installed' || status.volumes.length > 0;
  const running = status.overall === 'running' || status.overall === 'starting' || status.overall === 'degraded';
  const stopped = status.overall === 'stopped';
  const ask = (a: StackAction): void => {
    if (confirmationFor(a, status.volumes) === null) onRun(a);
    else setAsking(a);
  };
  const c = asking ? confirmationFor(asking, status.volumes) : null;
  return (
    <section className="card stack" data-testid="stack-actions">
      <h2>Manage</h2>
      <div className="row">
        {stopped ? (
          <button type="button" className="button" disabled={busy} onClick={() => ask('start')} data-testid="action-start">
            Start
          </button>
        ) : null}
        <button type="button" className="button" disabled={busy || !running} onClick={() => ask('stop')} data-testid="action-stop">
          Stop
        </button>
        <button type="button" className="button" disabled={busy || !running} onClick={() => ask('restart')} data-testid="action-restart">
          Restart
        </button>
        <button type="button" className="button" disabled={busy || status.overall === 'not_installed'} onClick={() => ask('upgrade')} data-testid="action-upgrade">
          Upgrade
        </button>
        <button type="button" className="button" disabled={busy || !installed} onClick={() => ask('uninstall')} data-testid="action-uninstall">
          Uninstall…
        </button>
        <button type="button" className="button" disabled={busy || !installed} onClick={() => ask('purge')} data-testid="action-purge">
          Uninstall and erase data…
        </button>
      </div>
      {asking && c ? (
        <div className={c.danger ? 'error-view stack' : 'card stack'} role="alertdialog" aria-label={c.title} data-testid="confirm" data-action={asking}>
          <h3>{c.title}</h3>
          <p data-testid="confirm-text">{c.text}</p>
          <div className="row">
            <button
              type="button"
              className="button button-primary"
              data-testid="confirm-yes"
              onClick={() => {
                setAsking(null);
                onRun(asking);
              }}
            >
              {c.button}
            </button>
            <button type="button" className="button" onClick={() => setAsking(null)} data-testid="confirm-no">
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
