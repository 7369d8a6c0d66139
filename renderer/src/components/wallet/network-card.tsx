import { useEffect, useState, type ReactNode } from 'react';
import { useClient } from '../../api/client-context.js';
import { toRigError, useCall } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

/** Network profile (mainnet / sandbox), the RPC endpoints in failover order, and your own node. */
export function NetworkCard({ onChanged, version }: { onChanged: () => void; version: unknown }): ReactNode {
  const client = useClient();
  const view = useCall('network.get', {});
  const refreshView = view.refresh;
  // Endpoint health changes with every chain call the page makes: re-read it when they finish.
  useEffect(() => refreshView(), [version, refreshView]);
  const [node, setNode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const set = (input: { network?: 'mainnet' | 'sandbox'; customRpc?: string[] }): void => {
    setError(null);
    client
      .call('network.set', input)
      .then(() => {
        view.refresh();
        onChanged();
      })
      .catch((e: unknown) => setError(toRigError(e)));
  };
  const v = view.data;
  return (
    <section className="card stack" data-testid="network-card">
      <div className="card-header">
        <h3>Network</h3>
        {v ? (
          <select className="button" value={v.network} onChange={(e) => set({ network: e.target.value as 'mainnet' | 'sandbox' })} aria-label="Network" data-testid="network-select">
            <option value="mainnet">Mainnet (akashnet-2)</option>
            <option value="sandbox">Sandbox</option>
          </select>
        ) : null}
      </div>
      {view.error ? <ErrorView error={view.error} /> : null}
      {v ? (
        <>
          <span className="small muted">
            Chain id <span className="mono">{v.chainId}</span>
            {v.rpcSource === 'env' ? ' · endpoints from RIGLEASE_CHAIN_RPC' : ''}
          </span>
          <ol className="plain-list small" data-testid="rpc-list">
            {v.rpc.map((u) => {
              const h = v.health.find((x) => x.url === u);
              return (
                <li key={u} className="row">
                  <span className={`badge ${h?.healthy === true ? 'badge-ok' : h?.healthy === false ? 'badge-block' : ''}`}>{h?.healthy === true ? 'ok' : h?.healthy === false ? 'failed' : 'not tried'}</span>
                  <span className="mono">{u}</span>
                  {v.customRpc.includes(u) ? (
                    <button type="button" className="button button-small" onClick={() => set({ customRpc: v.customRpc.filter((x) => x !== u) })}>
                      Remove
                    </button>
                  ) : null}
                </li>
              );
            })}
          </ol>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              set({ customRpc: [...v.customRpc, node.trim()] });
              setNode('');
            }}
          >
            <input className="input mono" placeholder="https://my-node.example.com:443" value={node} onChange={(e) => setNode(e.target.value)} aria-label="Your own RPC node" />
            <button type="submit" className="button button-small" disabled={!/^https?:\/\/\S+$/.test(node.trim())}>
              Add my node
            </button>
          </form>
        </>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
    </section>
  );
}
