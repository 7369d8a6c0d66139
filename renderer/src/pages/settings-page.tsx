import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import type { Settings } from '../../../src/api/schemas/settings.js';
import { useClient } from '../api/client-context.js';
import { toRigError, useCall, useEvent } from '../api/hooks.js';
import { ErrorView, toErrorShape } from '../components/error-view.js';
import { PrivateEgressField } from '../components/settings/private-egress-field.js';

/**
 * Settings a user changes by hand that no other screen owns: network and theme, launch at
 * login, notifications and updates, hardware telemetry, and which addresses on this network
 * tenants may reach (which asks first). Every change is one `settings.set`;
 * the agent validates it against the settings schema, and its message is shown beside the
 * field when the value is refused (nothing is written then). No section here holds a secret.
 */
export function SettingsPage(): ReactNode {
  const all = useCall('settings.all', {});
  const [s, setS] = useState<Settings | null>(null);
  useEffect(() => {
    if (all.data) setS(all.data);
  }, [all.data]);
  useEvent('settings.changed', setS);

  return (
    <div className="page" data-testid="settings-page">
      <div className="page-header">
        <div className="stack">
          <h1>Settings</h1>
          <span className="muted">Each change is saved at once; a value the agent refuses is not saved and says why.</span>
        </div>
      </div>
      {all.error ? <ErrorView error={all.error} onRetry={all.refresh} title="The settings could not be read" /> : null}
      {s ? (
        <div className="grid">
          <section className="card stack" data-testid="settings-general">
            <h2>General</h2>
            <Choice
              k="general.network"
              label="Akash network"
              value={s.general.network}
              options={[
                ['mainnet', 'Mainnet (real AKT)'],
                ['sandbox', 'Sandbox (test tokens)'],
              ]}
              hint="Switching changes which chain the wallet, registration and leases use."
            />
            <Choice
              k="general.theme"
              label="Theme"
              value={s.general.theme}
              options={[
                ['system', 'Like the system'],
                ['light', 'Light'],
                ['dark', 'Dark'],
              ]}
            />
            <Toggle k="general.launchAtLogin" label="Start RigLease when I log in" value={s.general.launchAtLogin} hint="Desktop app only; it starts in the tray." />
          </section>
          <section className="card stack" data-testid="settings-notifications">
            <h2>Notifications</h2>
            <span className="muted small">Desktop notifications; the app&apos;s own pop-ups always show.</span>
            <Toggle k="desktop.notifications.enabled" label="Show desktop notifications" value={s.desktop.notifications.enabled} />
            <Toggle k="desktop.notifications.leases" label="Lease won or ended" value={s.desktop.notifications.leases} disabled={!s.desktop.notifications.enabled} />
            <Toggle k="desktop.notifications.availability" label="Bidding paused or resumed" value={s.desktop.notifications.availability} disabled={!s.desktop.notifications.enabled} />
            <Toggle k="desktop.notifications.errors" label="Errors" value={s.desktop.notifications.errors} disabled={!s.desktop.notifications.enabled} />
            <Toggle k="desktop.notifications.lowBalance" label="Low balance" value={s.desktop.notifications.lowBalance} disabled={!s.desktop.notifications.enabled} />
            <Toggle k="desktop.notifications.updates" label="Updates" value={s.desktop.notifications.updates} disabled={!s.desktop.notifications.enabled} />
            <NumberField k="desktop.leaseWatchMinutes" label="Look at leases and balance every" unit="minutes" value={s.desktop.leaseWatchMinutes} />
          </section>
          <section className="card stack" data-testid="settings-updates">
            <h2>Updates</h2>
            <Toggle k="desktop.updates.autoCheck" label="Check for updates automatically" value={s.desktop.updates.autoCheck} hint="Installed app only; an update never restarts the app during running work." />
            <NumberField k="desktop.updates.checkEveryHours" label="Check every" unit="hours" value={s.desktop.updates.checkEveryHours} />
          </section>
          <section className="card stack" data-testid="settings-bidding">
            <h2>Bid deposit</h2>
            <Choice
              k="stack.bidDepositDenom"
              label="Pay each bid's deposit in"
              value={s.stack.bidDepositDenom}
              options={[
                ['uakt', '0.5 AKT (the usual choice)'],
                ['uact', '0.5 ACT (the token leases pay you)'],
              ]}
              hint="Akash holds this deposit while a bid is open and gives it back when the bid closes. The wallet must hold it in the token chosen here; network fees are always paid in AKT. It applies to new bids after the next stack update."
            />
          </section>
          <section className="card stack" data-testid="settings-hardware">
            <h2>Hardware</h2>
            <NumberField k="hardware.telemetryIntervalMs" label="GPU telemetry every" unit="ms" value={s.hardware.telemetryIntervalMs} />
            <NumberField k="hardware.scanTimeoutMs" label="Give nvidia-smi up to" unit="ms" value={s.hardware.scanTimeoutMs} />
            <TextField
              k="hardware.nvidiaSmiPath"
              label="nvidia-smi path"
              value={s.hardware.nvidiaSmiPath}
              placeholder="found on PATH"
              hint="Only when nvidia-smi is not on PATH. Leave empty to search PATH."
            />
          </section>
          <PrivateEgressField value={s.stack.allowPrivateEgress} />
        </div>
      ) : all.loading ? (
        <div className="card skeleton" />
      ) : null}
    </div>
  );
}

/** Saves one setting; returns the agent's refusal message (or null when saved). */
function useSave(k: string): { save: (value: unknown) => Promise<boolean>; busy: boolean; error: string | null; clear: () => void } {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = useCallback(
    async (value: unknown) => {
      setBusy(true);
      setError(null);
      try {
        await client.call('settings.set', { key: k, value });
        return true;
      } catch (err) {
        const shape = toErrorShape(toRigError(err));
        // The field already names the setting: drop the agent's "key: " prefixes.
        let message = shape.message;
        while (message.startsWith(`${k}: `)) message = message.slice(k.length + 2);
        setError(shape.fix ? `${message} ${shape.fix}` : message);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [client, k],
  );
  return { save, busy, error, clear: useCallback(() => setError(null), []) };
}

function FieldError({ id, error }: { id: string; error: string | null }): ReactNode {
  if (!error) return null;
  return (
    <span id={id} className="field-error small" role="alert" data-testid="setting-error">
      {error}
    </span>
  );
}

function Toggle({ k, label, value, hint, disabled }: { k: string; label: string; value: boolean; hint?: string; disabled?: boolean }): ReactNode {
  const { save, busy, error } = useSave(k);
  const errId = useId();
  // Shown at once; back to the stored value when the agent refuses it.
  const [shown, setShown] = useState(value);
  useEffect(() => setShown(value), [value]);
  const change = (next: boolean): void => {
    setShown(next);
    void save(next).then((ok) => {
      if (!ok) setShown(value);
    });
  };
  return (
    <div className="stack setting" data-testid={`setting-${k}`}>
      <label className="row check-label">
        <input type="checkbox" checked={shown} disabled={busy || disabled} onChange={(e) => change(e.target.checked)} aria-describedby={error ? errId : undefined} />
        <span className="stack">
          <span>{label}</span>
          {hint ? <span className="muted small">{hint}</span> : null}
        </span>
      </label>
      <FieldError id={errId} error={error} />
    </div>
  );
}

function Choice({ k, label, value, options, hint }: { k: string; label: string; value: string; options: Array<[string, string]>; hint?: string }): ReactNode {
  const { save, busy, error } = useSave(k);
  const id = useId();
  return (
    <div className="stack setting" data-testid={`setting-${k}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} className="input" value={value} disabled={busy} onChange={(e) => void save(e.target.value)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      {hint ? <span className="muted small">{hint}</span> : null}
      <FieldError id={`${id}-err`} error={error} />
    </div>
  );
}

/** A draft the user edits, saved with Enter or the Save button; the stored value comes back on a refusal-free save. */
function useDraft(stored: string): [string, (v: string) => void, boolean] {
  const [draft, setDraft] = useState(stored);
  const [base, setBase] = useState(stored);
  if (stored !== base) {
    // The stored value changed (saved here or elsewhere): show it.
    setBase(stored);
    setDraft(stored);
  }
  return [draft, setDraft, draft !== stored];
}

function NumberField({ k, label, unit, value }: { k: string; label: string; unit: string; value: number }): ReactNode {
  const { save, busy, error, clear } = useSave(k);
  const [draft, setDraft, dirty] = useDraft(String(value));
  const id = useId();
  const submit = (): void => {
    // Sent as typed (a number when it reads as one): the agent's schema says what is allowed.
    const n = Number(draft);
    void save(draft.trim() !== '' && Number.isFinite(n) ? n : draft);
  };
  return (
    <form
      className="stack setting"
      data-testid={`setting-${k}`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input
          id={id}
          className={`input input-narrow${error ? ' input-error' : ''}`}
          inputMode="numeric"
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            clear();
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          data-testid="setting-input"
        />
        <span className="muted">{unit}</span>
        <button type="submit" className="button button-small" disabled={busy || !dirty} data-testid="setting-save">
          Save
        </button>
      </div>
      <FieldError id={`${id}-err`} error={error} />
    </form>
  );
}

function TextField({ k, label, value, placeholder, hint }: { k: string; label: string; value: string | null; placeholder: string; hint?: string }): ReactNode {
  const { save, busy, error, clear } = useSave(k);
  const [draft, setDraft, dirty] = useDraft(value ?? '');
  const id = useId();
  return (
    <form
      className="stack setting"
      data-testid={`setting-${k}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save(draft.trim() === '' ? null : draft.trim());
      }}
    >
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input
          id={id}
          className={`input${error ? ' input-error' : ''}`}
          value={draft}
          placeholder={placeholder}
          onChange={(e) => {
            setDraft(e.target.value);
            clear();
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          data-testid="setting-input"
        />
        <button type="submit" className="button button-small" disabled={busy || !dirty} data-testid="setting-save">
          Save
        </button>
      </div>
      {hint ? <span className="muted small">{hint}</span> : null}
      <FieldError id={`${id}-err`} error={error} />
    </form>
  );
}
