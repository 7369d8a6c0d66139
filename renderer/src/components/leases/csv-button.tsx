import { useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context.js';
import { toRigError } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/** Downloads income per lease and ACT → AKT conversions as CSV (earnings.csv), the same rows as `riglease earnings --csv`. */
export function CsvButton(): ReactNode {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = (): void => {
    setBusy(true);
    setError(null);
    client
      .call('earnings.csv', {})
      .then(({ csv }) => {
        const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = `riglease-earnings-${new Date().toISOString().slice(0, 10)}.csv`;
        a.click();
        URL.revokeObjectURL(url);
      })
      .catch((e: unknown) => setError(toRigError(e)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button type="button" className="button" onClick={download} disabled={busy} data-testid="earnings-csv">
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {error ? <ErrorView error={error} /> : null}
    </>
  );
}
