import { useState, type ReactNode } from 'react';
import { NetworkPathCard } from '../network/network-path.js';
import { HARD_BLOCK_IDS } from '../../../../src/api/schemas/hardware.js';
import type { OnboardingStepView } from '../../../../src/api/schemas/onboarding.js';
import { useClient } from '../../api/client-context.js';
import { useCall } from '../../api/hooks.js';
import { PricingPage } from '../../pages/pricing-page.js';
import { PortMapper } from '../bench/port-mapper.js';
import { CopyCode } from '../copy-code.js';
import { ErrorView } from '../error-view.js';
import { NoticeWindowSetting } from '../leases/reclaim.js';
import { ChecksList } from '../readiness/checks-list.js';
import { KeyValues } from '../readiness/key-values.js';
import { ProviderProfileCard } from '../provider-profile/profile-card.js';
import { ProviderEmail } from '../stack/provider-email.js';
import { StackSetup } from '../stack/stack-setup.js';
import { formatAkt, formatAmount, formatUsd } from '../wallet/akt.js';
import { BalanceCard } from '../wallet/balance-card.js';
import { CreateWallet } from '../wallet/create-wallet.js';
import { ImportWallet } from '../wallet/import-wallet.js';

/** What a step's screen can ask the wizard to do. */
export interface WizardActions {
  /** `onboarding.next`, with a confirmation (pricing, network, fixes, review). */
  next(confirm?: string): void;
  /** "Check again" / "Try again". */
  retry(step: string): void;
  busy: boolean;
}

interface BodyProps {
  step: OnboardingStepView;
  act: WizardActions;
}

function CheckAgain({ step, act, label }: BodyProps & { label?: string }): ReactNode {
  return (
    <button type="button" className="button" disabled={act.busy} onClick={() => act.retry(step.id)} data-testid="check-again">
      {label ?? step.checkAgainLabel}
    </button>
  );
}

export function FixesBody({ step, act }: BodyProps): ReactNode {
  const scan = useCall('hardware.scan', { maxAgeMs: 60_000 });
  const blocks = (scan.data?.checks ?? []).filter((c) => c.status === 'block');
  const hard = blocks.filter((c) => HARD_BLOCK_IDS.includes(c.id));
  return (
    <div className="stack">
      {scan.error ? <ErrorView error={scan.error} onRetry={scan.refresh} /> : null}
      {blocks.length > 0 ? <ChecksList checks={blocks} /> : null}
      <div className="row">
        <CheckAgain step={step} act={act} />
        {/* A block that makes providing impossible has no way past it but the fix: no button that would be refused. */}
        {scan.data && hard.length === 0 ? (
          <>
            <button type="button" className="button" disabled={act.busy} onClick={() => act.next('fixes')} data-testid="continue-anyway">
              Continue anyway
            </button>
            <span className="muted small">Continuing without these fixes still gives a working provider that offers less (e.g. CPU only without a GPU runtime).</span>
          </>
        ) : null}
        {hard.length > 0 ? (
          <span className="small" data-testid="cannot-skip">
            {hard.map((c) => c.title).join(', ')} cannot be skipped: without {hard.length === 1 ? 'it' : 'them'} this computer cannot provide at all. Follow the fix, then check again.
          </span>
        ) : null}
      </div>
    </div>
  );
}

export function WalletBody({ step, act }: BodyProps): ReactNode {
  const info = useCall('wallet.info', {});
  const status = useCall('wallet.status', info.data?.exists ? {} : null);
  const [mode, setMode] = useState<'none' | 'create' | 'import'>('none');
  const saved = (): void => {
    setMode('none');
    info.refresh();
    act.retry(step.id);
  };
  if (!info.data) return info.error ? <ErrorView error={info.error} onRetry={info.refresh} /> : <div className="skeleton" />;
  if (!info.data.exists) {
    if (mode === 'create') return <CreateWallet onDone={saved} onCancel={() => setMode('none')} />;
    if (mode === 'import') return <ImportWallet onDone={saved} onCancel={() => setMode('none')} />;
    return (
      <div className="row">
        <button type="button" className="button button-primary" onClick={() => setMode('create')} data-testid="create-wallet-button">
          Create a new wallet
        </button>
        <button type="button" className="button" onClick={() => setMode('import')} data-testid="import-wallet-button">
          Import with a recovery phrase
        </button>
      </div>
    );
  }
  return (
    <div className="stack">
      <span className="small muted">Send AKT to this address:</span>
      <CopyCode code={info.data.address ?? ''} />
      {status.data ? <BalanceCard status={status.data} loading={status.loading} onRefresh={status.refresh} /> : null}
      <div className="row">
        <CheckAgain
          step={step}
          act={{ ...act, retry: (id) => (status.refresh(), act.retry(id)) }}
        />
      </div>
    </div>
  );
}

export function PricingBody({ step, act }: BodyProps): ReactNode {
  const notice = useCall('settings.get', { key: 'stack.reclamationWindowHours' });
  return (
    <div className="stack">
      {/* Set while setting prices: it is part of what each bid promises the tenant. */}
      <section className="card stack" data-testid="setup-notice-window">
        <h3>Getting the GPU back for a game</h3>
        <span className="small">
          A rented GPU stays with the tenant until the lease ends: pausing or gaming mode only stops new bids. With a notice window you can ask for it back, and it returns when the window has passed. Without one, only going offline (which ends the lease at once) frees it.
        </span>
        {notice.data ? <NoticeWindowSetting hours={typeof notice.data.value === 'number' ? notice.data.value : null} /> : null}
      </section>
      <div className="row">
        <button type="button" className="button button-primary" disabled={act.busy} onClick={() => act.next('pricing')} data-testid="confirm-prices">
          Confirm these prices
        </button>
        <CheckAgain step={step} act={act} label="Check again after a change" />
      </div>
      <PricingPage />
    </div>
  );
}

export function NetworkBody({ step, act }: BodyProps): ReactNode {
  const client = useClient();
  const [error, setError] = useState<unknown>(null);
  // The chain record's address follows the domain the stack publishes (provider.<domain>:8443).
  const saved = (): void => {
    setError(null);
    client
      .call('settings.get', { key: 'stack.domain' })
      .then((r) => {
        const domain = String(r.value).trim().toLowerCase();
        return client.call('settings.set', { key: 'chain.provider.hostUri', value: domain ? `https://provider.${domain}:8443` : null });
      })
      .then(() => act.retry(step.id))
      .catch(setError);
  };
  return (
    <div className="stack">
      <StackSetup onSaved={saved} />
      <ProviderEmail />
      {error ? <ErrorView error={error} title="The provider address was not saved" /> : null}
      <NetworkPathCard />
      <section className="card stack">
        <h3>Open the ports</h3>
        <span className="muted small">
          Tenants reach the provider on TCP 80, 443, 8443 and 8444: behind a home router they must be forwarded to this computer. 8443 and 8444 cannot be changed: Akash&apos;s provider
          chart registers port 8443 on chain every time it starts. Leases&apos; own ports (NodePorts) use TCP and UDP.
        </span>
        <PortMapper routerSupports={false} />
      </section>
      <div className="row">
        <CheckAgain step={step} act={act} label="Check the ports again" />
        <button type="button" className="button" disabled={act.busy} onClick={() => act.next('network')} data-testid="accept-untested">
          Continue without the port test
        </button>
      </div>
    </div>
  );
}

export function ReviewBody({ act }: BodyProps): ReactNode {
  const settings = useCall('settings.all', {});
  const wallet = useCall('wallet.status', {});
  const pricing = useCall('pricing.get', {});
  const plan = useCall('provider.register', { dryRun: true });
  const s = settings.data;
  const local = (pricing.data?.resolved.gpus ?? []).filter((g) => g.local);
  const p = plan.data?.plan;
  return (
    <div className="stack" data-testid="review-summary">
      {/* Every attribute Akash needs has a field here, filled from what this computer suggests. */}
      <ProviderProfileCard />
      <KeyValues
        rows={[
          ['Wallet', wallet.data?.balance ? `${wallet.data.wallet.address} · ${formatAmount(wallet.data.balance.uakt)}` : (wallet.data?.wallet.address ?? '…')],
          ['GPUs offered', s ? (s.stack.gpus === 'all' ? 'every NVIDIA GPU' : s.stack.gpus.length === 0 ? 'none (CPU only)' : s.stack.gpus.join(', ')) : '…'],
          ['Prices', local.length ? local.map((g) => `${g.key} ${formatUsd(g.usdPerHour)}/h (floor ${formatUsd(g.floorUsdPerHour)})`).join(', ') : '…'],
          ['Provider address', s?.chain.provider.hostUri ?? 'not set'],
          ['On chain', p ? `${p.action === 'create' ? 'register' : p.action === 'update' ? 'update' : 'already registered'}${p.certificate.needed ? ' + certificate' : ''}${p.fee ? `, fee ${formatAkt(p.fee.feeUakt)}` : ''}` : plan.error ? plan.error.message : 'checking the chain…'],
        ]}
        testId="review-rows"
      />
      <div className="row">
        <button type="button" className="button button-primary" disabled={act.busy} onClick={() => act.next('review')} data-testid="confirm-review">
          Confirm and start providing
        </button>
        <span className="muted small">Starts the provider stack in Docker, then registers the provider and its certificate on chain (one transaction).</span>
      </div>
    </div>
  );
}

/** A failed or waiting step: why, what it means, and the button that checks again. */
export function StepTrouble({ step, act }: BodyProps): ReactNode {
  if (step.status !== 'failed') return null;
  return (
    <div className="stack" data-testid="step-failed">
      <ErrorView error={{ code: 'precondition_failed', message: step.reason ?? step.failureText, fix: step.reason && !step.reason.startsWith(step.failureText) ? step.failureText : undefined }} title={`${step.title} failed`} />
      <div className="row">
        <CheckAgain step={step} act={act} label={step.id === 'start-providing' ? 'Try again' : step.checkAgainLabel} />
      </div>
    </div>
  );
}
