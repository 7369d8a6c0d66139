import { useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The provider's contact email (chain.provider.email): published on chain with the provider and
 * registered with Let's Encrypt for the provider's certificate. The Akash provider cannot start
 * without one, so the stack is not planned with a provider until it is set.
 */
export function ProviderEmail({ onSaved }: { onSaved?: () => void }): ReactNode {
  const client = useClient();
  const settings = useCall('settings.all', {});
  const [value, setValue] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const current = settings.data?.chain.provider.email;
  if (current === undefined) return settings.error ? <ErrorView error={settings.error} onRetry={settings.refresh} /> : null;
  const email = value ?? current;
  const valid = EMAIL.test(email.trim());
  const save = async (): Promise<void> => {
    setSaving(true);
    setError(null);
    try {
      await client.call('settings.set', { key: 'chain.provider.email', value: email.trim() });
      setValue(null);
      settings.refresh();
      onSaved?.();
    } catch (err) {
      setError(toRigError(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <section className="card stack" data-testid="provider-email">
      <label className="stack">
        <span>
          Contact email <span className="muted small">(published on chain with your provider and used for its Let&apos;s Encrypt certificate; required to start the provider)</span>
        </span>
        <input type="email" value={email} placeholder="you@example.com" onChange={(e) => setValue(e.target.value)} data-testid="provider-email-input" style={{ maxWidth: 360 }} />
      </label>
      {!current ? <span className="muted small">Not set yet: the Akash provider is left out until it is.</span> : null}
      {error ? <ErrorView error={error} title="Not saved" /> : null}
      <div className="row">
        <button type="button" className="button" onClick={() => void save()} disabled={saving || email.trim() === current || !valid} data-testid="provider-email-save">
          {saving ? 'Saving…' : 'Save email'}
        </button>
      </div>
    </section>
  );
}
