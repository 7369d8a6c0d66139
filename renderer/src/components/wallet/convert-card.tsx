import { useState, type ReactNode } from 'react';
import type { Out } from '../../../../src/api/contract.js';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';
import { formatAkt } from './akt.js';

type Preview = Out<'wallet.convertPreview'>;
type Result = Out<'wallet.convert'>;

/**
 * ACT → AKT (x/bme MsgBurnACT): preview first (price, spread, epoch, fee, or why the chain holds
 * conversions now), then convert on a second press.
 */
export function ConvertCard({ onDone }: { onDone: () => void }): ReactNode {
  const client = useClient();
  const [amount, setAmount] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const auto = useCall('settings.get', { key: 'chain.autoConvertAfterWithdraw' });
  const autoOn = auto.data?.value === true;
  const setAuto = (on: boolean): void =>
    run(async () => {
      await client.call('settings.set', { key: 'chain.autoConvertAfterWithdraw', value: on });
      auto.refresh();
    });
  const run = (fn: () => Promise<void>): void => {
    setBusy(true);
    setError(null);
    fn()
      .catch((e: unknown) => setError(toRigError(e)))
      .finally(() => setBusy(false));
  };
  const ask = (): void =>
    run(async () => {
      setResult(null);
      setPreview(await client.call('wallet.convertPreview', { amount: amount.trim() }));
    });
  const convert = (): void =>
    run(async () => {
      setResult(await client.call('wallet.convert', { amount: amount.trim(), confirm: true }));
      setPreview(null);
      onDone();
    });
  return (
    <section className="card stack" data-testid="convert-card">
      <h3>Convert ACT to AKT</h3>
      <span className="small muted">Leases pay you in ACT; network fees and bid deposits are paid in AKT.</span>
      <div className="row">
        <input className="input" inputMode="decimal" placeholder="ACT, e.g. 12.5" value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="convert-amount" />
        <button type="button" className="button" onClick={ask} disabled={busy || !/^\d+(\.\d{1,6})?$/.test(amount.trim())} data-testid="convert-preview">
          Preview
        </button>
      </div>
      {preview && !preview.allowed ? (
        <div className="shortfall" role="alert" data-testid="convert-held">
          {preview.whyNot}
        </div>
      ) : null}
      {preview?.allowed ? (
        <div className="stack" data-testid="convert-preview-result">
          <strong>≈ {preview.expectedPaidUakt ? formatAkt(preview.expectedPaidUakt) : 'unknown'}</strong>
          <ul className="small">
            {preview.whatHappens.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          <button type="button" className="button button-primary" onClick={convert} disabled={busy} data-testid="convert-confirm">
            Convert {formatAkt(preview.uact, 'ACT')}
          </button>
        </div>
      ) : null}
      {result ? (
        <span className="small" data-testid="convert-result">
          Queued in block {result.tx.height}; AKT arrives by block {result.settlesByHeight}.
        </span>
      ) : null}
      <label className="row small">
        <input type="checkbox" checked={autoOn} disabled={busy || auto.loading} onChange={(e) => setAuto(e.target.checked)} data-testid="convert-auto" />
        Convert the ACT of each withdrawal to AKT automatically (off by default: ACT keeps its dollar value, AKT does not)
      </label>
      {error ? <ErrorView error={error} /> : null}
    </section>
  );
}
