import { useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

type GpuChoice = 'all' | string[];

/**
 * The two choices Start providing needs from the person: which GPUs to offer (passed to k3s
 * through DeviceRequests) and the provider domain. Saved as settings (stack.gpus, stack.domain),
 * so the CLI and this screen agree; the plan below follows.
 */
export function StackSetup({ onSaved }: { onSaved: () => void }): ReactNode {
  const client = useClient();
  const settings = useCall('settings.all', {});
  const scan = useCall('hardware.scan', { maxAgeMs: 60_000 });
  const [gpus, setGpus] = useState<GpuChoice | null>(null);
  const [domain, setDomain] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const current = settings.data?.stack;
  if (!current) return settings.error ? <ErrorView error={settings.error} onRetry={settings.refresh} /> : null;
  const found = (scan.data?.gpus ?? []).filter((g): g is typeof g & { uuid: string } => g.uuid !== null);
  const choice: GpuChoice = gpus ?? current.gpus;
  const dom = domain ?? current.domain;
  const dirty = JSON.stringify(choice) !== JSON.stringify(current.gpus) || dom !== current.domain;
  const picked = (uuid: string): boolean => choice === 'all' || choice.includes(uuid);
  const toggle = (uuid: string): void => {
    const list = choice === 'all' ? found.map((g) => g.uuid) : choice;
    setGpus(list.includes(uuid) ? list.filter((u) => u !== uuid) : [...list, uuid]);
    setSaved(false);
  };
  const save = async (): Promise<void> => {
    setSaving(true);
    setError(null);
    try {
      if (JSON.stringify(choice) !== JSON.stringify(current.gpus)) await client.call('settings.set', { key: 'stack.gpus', value: choice });
      if (dom !== current.domain) await client.call('settings.set', { key: 'stack.domain', value: dom.trim() });
      setGpus(null);
      setDomain(null);
      setSaved(true);
      settings.refresh();
      onSaved();
    } catch (err) {
      setError(toRigError(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <section className="card stack" data-testid="stack-setup">
      <h2>What to offer</h2>
      <label className="row">
        <input
          type="checkbox"
          checked={choice === 'all'}
          onChange={(e) => {
            setGpus(e.target.checked ? 'all' : found.map((g) => g.uuid));
            setSaved(false);
          }}
          data-testid="gpus-all"
        />
        Every NVIDIA GPU this computer has{found.length ? ` (${found.length} found)` : ''}
      </label>
      {found.map((g) => (
        <label key={g.uuid} className="row" style={{ paddingLeft: 24 }}>
          <input type="checkbox" checked={picked(g.uuid)} disabled={choice === 'all'} onChange={() => toggle(g.uuid)} data-testid="gpu-pick" data-uuid={g.uuid} />
          {g.name} <span className="muted small mono">{g.uuid}</span>
        </label>
      ))}
      {choice !== 'all' && choice.length === 0 ? <span className="muted small">No GPU selected: the provider offers CPU only.</span> : null}
      <label className="stack">
        <span>
          Provider domain <span className="muted small">(the gateway becomes provider.&lt;domain&gt;; needed before the Akash provider is installed)</span>
        </span>
        <input
          type="text"
          value={dom}
          placeholder="example.com"
          onChange={(e) => {
            setDomain(e.target.value);
            setSaved(false);
          }}
          data-testid="stack-domain"
          style={{ maxWidth: 360 }}
        />
      </label>
      {error ? <ErrorView error={error} title="Not saved" /> : null}
      <div className="row">
        <button type="button" className="button" onClick={() => void save()} disabled={!dirty || saving} data-testid="setup-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        {saved && !dirty ? (
          <span className="muted small" data-testid="setup-saved">
            Saved. Start providing applies it.
          </span>
        ) : null}
      </div>
    </section>
  );
}
