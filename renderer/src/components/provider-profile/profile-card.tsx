import { useEffect, useState, type ReactNode } from 'react';
import type { Settings } from '../../../../src/api/schemas/settings.js';
import { isLocationRegion, LOCATION_REGIONS } from '../../../../src/api/regions/location-regions.js';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';
import { suggestCountry, suggestMemory, suggestRegion } from './suggest.js';

type Profile = Settings['chain']['provider'];
type Draft = Pick<Profile, 'locationRegion' | 'country' | 'city' | 'locationType' | 'memoryType' | 'persistentStorageClass' | 'organization'>;

const LOCATION_TYPES: Profile['locationType'][] = ['home', 'office', 'datacenter', 'colo', 'mix'];
const MEMORY: NonNullable<Profile['memoryType']>[] = ['ddr4', 'ddr5', 'lpddr4', 'lpddr5', 'ddr3'];
const STORAGE: Record<NonNullable<Profile['persistentStorageClass']>, string> = { beta1: 'Hard disk (beta1)', beta2: 'SSD (beta2)', beta3: 'NVMe SSD (beta3)' };

/**
 * What tenants see about this rig on chain, every attribute Akash asks for with a field: where it
 * is (region required), what RAM it has (required: the computer cannot tell), and whether it
 * offers disk that outlives a lease. Each field shows the suggestion it was filled from.
 */
export function ProviderProfileCard(): ReactNode {
  const client = useClient();
  const got = useCall('settings.get', { key: 'chain.provider' });
  const scan = useCall('hardware.scan', { maxAgeMs: 10 * 60_000 });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const hints = {
    locationRegion: suggestRegion(zone),
    country: suggestCountry(navigator.language),
    memoryType: scan.data ? suggestMemory(scan.data.system.cpu.model) : null,
  };

  useEffect(() => {
    const p = got.data?.value as Profile | undefined;
    if (!p || draft) return;
    setDraft({
      locationRegion: p.locationRegion ?? hints.locationRegion,
      country: p.country ?? hints.country,
      city: p.city,
      locationType: p.locationType,
      memoryType: p.memoryType ?? hints.memoryType,
      persistentStorageClass: p.persistentStorageClass,
      organization: p.organization,
    });
  }, [got.data, draft, hints.locationRegion, hints.country, hints.memoryType]);

  if (!draft) return got.error ? <ErrorView error={got.error} onRetry={got.refresh} /> : null;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]): void => {
    setSaved(false);
    setDraft({ ...draft, [k]: v });
  };
  const missing = [!draft.locationRegion ? 'the region' : null, !draft.memoryType ? 'the RAM type' : null].filter((x): x is string => x !== null);
  const save = (): void => {
    setError(null);
    const entries = Object.entries(draft) as [keyof Draft, Draft[keyof Draft]][];
    entries
      .reduce<Promise<unknown>>((chain, [k, v]) => chain.then(() => client.call('settings.set', { key: `chain.provider.${k}`, value: v === '' && k !== 'organization' ? null : v })), Promise.resolve())
      .then(() => setSaved(true))
      .catch((e: unknown) => setError(toRigError(e)));
  };
  const hint = (value: string | null, what: string) => (value ? <span className="muted small">Suggested from {what}: {value}</span> : null);

  return (
    <section className="card stack" data-testid="provider-profile">
      <h3>What tenants see about this rig</h3>
      <span className="muted small">Akash lists these on chain with your provider. The suggestions come from this computer; check them before saving.</span>
      <label className="stack">
        <span>Region (required)</span>
        <input className="input" list="akash-regions" value={draft.locationRegion ?? ''} onChange={(e) => set('locationRegion', e.target.value.trim() || null)} placeholder="eu-central" data-testid="profile-region" />
        <datalist id="akash-regions" data-testid="profile-region-codes">
          {LOCATION_REGIONS.map((r) => (
            <option key={r.code} value={r.code}>
              {r.description}
            </option>
          ))}
        </datalist>
        {hint(hints.locationRegion, `the time zone (${zone})`)}
        {draft.locationRegion && !isLocationRegion(draft.locationRegion) ? (
          <span className="small" role="alert" data-testid="profile-region-unknown">
            {draft.locationRegion} is not one of Akash&apos;s region codes: tenants who filter by region will not find this rig. Pick one from the list.
          </span>
        ) : null}
      </label>
      <label className="stack">
        <span>Country (two letters)</span>
        <input className="input input-narrow" value={draft.country ?? ''} maxLength={2} onChange={(e) => set('country', e.target.value.toUpperCase() || null)} placeholder="DE" data-testid="profile-country" />
        {hint(hints.country, 'the browser language')}
      </label>
      <label className="stack">
        <span>City (three letters, optional, e.g. BER)</span>
        <input className="input input-narrow" value={draft.city ?? ''} maxLength={3} onChange={(e) => set('city', e.target.value.toUpperCase() || null)} data-testid="profile-city" />
      </label>
      <label className="stack">
        <span>Where the rig stands</span>
        <select className="button" value={draft.locationType} onChange={(e) => set('locationType', e.target.value as Profile['locationType'])} data-testid="profile-location-type">
          {LOCATION_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label className="stack">
        <span>RAM type (required)</span>
        <select className="button" value={draft.memoryType ?? ''} onChange={(e) => set('memoryType', (e.target.value || null) as Profile['memoryType'])} data-testid="profile-memory">
          <option value="">Choose…</option>
          {MEMORY.map((m) => (
            <option key={m} value={m}>
              {m.toUpperCase()}
            </option>
          ))}
        </select>
        {hints.memoryType ? hint(hints.memoryType.toUpperCase(), 'the processor (it takes only this kind)') : <span className="muted small">The computer cannot tell: Windows shows it in Task Manager → Performance → Memory; on Linux `sudo dmidecode -t memory`.</span>}
      </label>
      <label className="stack">
        <span>Disk that outlives a lease (persistent storage)</span>
        <select className="button" value={draft.persistentStorageClass ?? ''} onChange={(e) => set('persistentStorageClass', (e.target.value || null) as Profile['persistentStorageClass'])} data-testid="profile-storage">
          <option value="">None: tenants get scratch disk only (suggested for a gaming PC)</option>
          {Object.entries(STORAGE).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="stack">
        <span>Organization (optional)</span>
        <input className="input" value={draft.organization} onChange={(e) => set('organization', e.target.value)} data-testid="profile-organization" />
      </label>
      <div className="row">
        <button type="button" className="button button-primary" onClick={save} disabled={missing.length > 0} data-testid="profile-save">
          Save
        </button>
        {missing.length > 0 ? <span className="small">Still needed: {missing.join(' and ')}.</span> : null}
        {saved ? (
          <span className="small" data-testid="profile-saved">
            Saved: the provider publishes these with its next registration or update.
          </span>
        ) : null}
      </div>
      {error ? <ErrorView error={error} title="Not saved" /> : null}
    </section>
  );
}
