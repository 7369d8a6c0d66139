import { useState, type ReactNode } from 'react';
import { useCall } from '../api/hooks.js';
import { CopyCode } from '../components/copy-code.js';
import { ErrorView } from '../components/error-view.js';
import { BalanceCard } from '../components/wallet/balance-card.js';
import { ConvertCard } from '../components/wallet/convert-card.js';
import { CreateWallet } from '../components/wallet/create-wallet.js';
import { ImportWallet } from '../components/wallet/import-wallet.js';
import { NetworkCard } from '../components/wallet/network-card.js';
import { ProviderCard } from '../components/wallet/provider-card.js';
import { ReceiveQr } from '../components/wallet/receive-qr.js';
import { RevealCard } from '../components/wallet/reveal-card.js';
import { SendCard } from '../components/wallet/send-card.js';
import { Term } from '../components/term.js';

/**
 * Wallet: create (24 words shown once + three asked back) or import; then the address with a
 * receive QR, balances with the provider shortfall, send with a confirmation screen, the
 * network, the provider record, and the phrase again after the passphrase. The wallet itself
 * is read locally (instant, offline too); only the balance waits for the chain.
 */
export function WalletPage(): ReactNode {
  const info = useCall('wallet.info', {});
  const w = info.data;
  const status = useCall('wallet.status', w?.exists ? {} : null);
  const [mode, setMode] = useState<'none' | 'create' | 'import'>('none');
  const s = status.data;

  const done = (): void => {
    setMode('none');
    info.refresh();
    status.refresh();
  };

  return (
    <div className="page" data-testid="wallet-page">
      <div className="page-header">
        <div className="stack">
          <h1>Wallet</h1>
          <span className="muted">The AKT account your provider is paid into and pays fees from.</span>
        </div>
      </div>
      {info.error ? <ErrorView error={info.error} onRetry={info.refresh} /> : null}
      {!w ? (
        info.loading ? <div className="skeleton" /> : null
      ) : !w.exists || mode !== 'none' ? (
        mode === 'create' ? (
          <CreateWallet onDone={done} onCancel={() => setMode('none')} />
        ) : mode === 'import' ? (
          <ImportWallet onDone={done} onCancel={() => setMode('none')} />
        ) : (
          <section className="card stack" data-testid="no-wallet">
            <h3>No wallet yet</h3>
            <p>A provider needs an Akash wallet: for fees, bid deposits and to receive what tenants pay.</p>
            <div className="row">
              <button type="button" className="button button-primary" onClick={() => setMode('create')} data-testid="create-wallet-button">
                Create a new wallet
              </button>
              <button type="button" className="button" onClick={() => setMode('import')} data-testid="import-wallet-button">
                Import with a recovery phrase
              </button>
            </div>
          </section>
        )
      ) : (
        <>
          <div className="grid-2">
            <section className="card stack" data-testid="address-card">
              <h3>Receive</h3>
              <div className="row receive">
                <ReceiveQr address={w.address!} />
                <div className="stack">
                  <CopyCode code={w.address!} />
                  <span className="small muted" data-testid="wallet-address" data-address={w.address}>
                    <Term k="hdPath">HD path</Term> {w.hdPath} · {w.source} · key protected by {w.protection}
                  </span>
                </div>
              </div>
            </section>
            {s ? (
              <BalanceCard status={s} loading={status.loading} onRefresh={status.refresh} />
            ) : (
              <section className="card stack" data-testid="balance-card">
                <h3>Balance</h3>
                {status.error ? <ErrorView error={status.error} onRetry={status.refresh} /> : <span className="muted">Asking the chain…</span>}
              </section>
            )}
          </div>
          <div className="grid-2">
            <SendCard onSent={status.refresh} />
            <NetworkCard onChanged={status.refresh} version={s} />
          </div>
          <ConvertCard onDone={status.refresh} />
          <ProviderCard />
          <RevealCard revealBy={w.revealBy ?? 'passphrase'} />
        </>
      )}
    </div>
  );
}
