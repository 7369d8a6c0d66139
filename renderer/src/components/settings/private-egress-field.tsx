import { useId, useState, type ReactNode } from 'react';
import { formatIpv4, networkOf, privateEgressProblem } from '../../../../src/api/schemas/settings/private-egress.js';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { toErrorShape } from '../error-view.js';

const KEY = 'stack.allowPrivateEgress';

/** `192.168.1.0/24` → "256 addresses, 192.168.1.0 to 192.168.1.255"; a /32 → "this one address". */
export function rangeInWords(cidr: string): string {
  const [addr, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (prefix === 32) return 'this one address';
  const parts = (addr ?? '').split('.').map(Number);
  const first = networkOf(parts.reduce((n, p) => n * 256 + p, 0), prefix);
  const size = 2 ** (32 - prefix);
  return `${size} addresses, ${formatIpv4(first)} to ${formatIpv4(first + size - 1)}`;
}

/**
 * The tenants' egress fence's exceptions (`stack.allowPrivateEgress`): addresses on this network
 * that rented containers may reach. A range is checked with the settings schema's own rule before
 * anything is sent (its message shows beside the field), and opening one asks first, naming the
 * range and what becomes reachable; the agent refuses an unconfirmed opening anyway. Removing one
 * closes the fence again and needs no question.
 */
export function PrivateEgressField({ value }: { value: readonly string[] }): ReactNode {
  const client = useClient();
  const id = useId();
  const [draft, setDraft] = useState('');
  const [asking, setAsking] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (next: string[], confirm: boolean): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await client.call('settings.set', { key: KEY, value: next, ...(confirm ? { confirm: true } : {}) });
      return true;
    } catch (err) {
      const shape = toErrorShape(toRigError(err));
      setError(shape.fix ? `${shape.message} ${shape.fix}` : shape.message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const ask = (): void => {
    const range = draft.trim();
    const problem = privateEgressProblem(range);
    if (problem) {
      setError(problem);
      return;
    }
    if (value.includes(range)) {
      setError(`${range} is already allowed.`);
      return;
    }
    setError(null);
    setAsking(range);
  };

  return (
    <section className="card stack" data-testid="settings-private-egress">
      <h2>Tenants&apos; access to this network</h2>
      <span className="muted small">
        Rented containers cannot reach your home or office network (router, NAS, printers, other PCs). Allow only the machines they must reach, such as a local model cache, one address
        (/32) at a time where you can.
      </span>
      {value.length === 0 ? (
        <span data-testid="egress-none">Nothing on this network is open to tenants.</span>
      ) : (
        <ul className="stack plain-list" data-testid="egress-allowed">
          {value.map((cidr) => (
            <li key={cidr} className="row" data-testid="egress-range" data-range={cidr}>
              <code>{cidr}</code>
              <span className="muted small">{rangeInWords(cidr)}</span>
              <button type="button" className="button button-small" disabled={busy} onClick={() => void save(value.filter((c) => c !== cidr), false)} data-testid="egress-remove">
                Close again
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="stack setting"
        data-testid={`setting-${KEY}`}
        onSubmit={(e) => {
          e.preventDefault();
          ask();
        }}
      >
        <label htmlFor={id}>Allow tenants to reach</label>
        <div className="row">
          <input
            id={id}
            className={`input${error ? ' input-error' : ''}`}
            value={draft}
            placeholder="192.168.1.10/32"
            onChange={(e) => {
              setDraft(e.target.value);
              setError(null);
              setAsking(null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-err` : undefined}
            data-testid="setting-input"
          />
          <button type="submit" className="button button-small" disabled={busy || draft.trim() === '' || asking !== null} data-testid="setting-save">
            Allow…
          </button>
        </div>
        {error ? (
          <span id={`${id}-err`} className="field-error small" role="alert" data-testid="setting-error">
            {error}
          </span>
        ) : null}
      </form>
      {asking ? (
        <div className="error-view stack" role="alertdialog" aria-label={`Open ${asking} to tenants?`} data-testid="confirm">
          <h3>Open {asking} to tenants?</h3>
          <p data-testid="confirm-text">
            Every stranger who rents this rig could reach {asking} ({rangeInWords(asking)}) from their containers: whatever listens there — a router&apos;s admin page, a NAS, printers,
            other PCs — answers them as it answers you.
          </p>
          <div className="row">
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              data-testid="confirm-yes"
              onClick={() => {
                const range = asking;
                void save([...value, range], true).then((ok) => {
                  setAsking(null);
                  if (ok) setDraft('');
                });
              }}
            >
              Open {asking}
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
