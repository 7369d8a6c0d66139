import { useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

type GpuChoice = 'all' | string[];

/**
 * The two choices Start providing needs from the person: whether to offer the GPUs (all of them,
 * passed to k3s through DeviceRequests; a subset cannot be kept back, see plan.ts) and the provider domain. Saved as settings (stack.gpus, stack.domain),
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
  // Every GPU or none: a list that names every GPU found counts as all (the planner agrees).
  const offered = choice === 'all' || (choice.length > 0 && found.every((g) => choice.includes(g.uuid)));
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
          checked={offered}
          onChange={(e) => {
            setGpus(e.target.checked ? 'all' : []);
            setSaved(false);
          }}
          data-testid="gpus-all"
        />
        Every NVIDIA GPU this computer has{found.length ? ` (${found.length} found)` : ''}
      </label>
      {found.map((g) => (
        <label key={g.uuid} className="row" style={{ paddingLeft: 24 }}>
          <input type="checkbox" checked={offered} disabled readOnly data-testid="gpu-pick" data-uuid={g.uuid} />
          {g.name} <span className="muted small mono">{g.uuid}</span>
        </label>
      ))}
      {!offered ? <span className="muted small">No GPU selected: the provider offers CPU only.</span> : null}
      {found.length > 1 ? (
        <span className="muted small" data-testid="gpu-subset-note">
          RigLease cannot keep one GPU for gaming yet: the provider runs in a privileged container that sees every GPU of this computer, so Akash would rent out the one kept back too. Pause providing or
          turn on gaming mode instead: both stop new bids.
        </span>
      ) : null}
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
