import type { ReactNode } from 'react';
import type { LeaseRow } from '../../../../src/api/schemas/chain.js';
import { useCall } from '../../api/hooks.js';
import { hrefFor } from '../../routing.js';
import { formatWindow, NoticeDeadline } from '../leases/reclaim.js';

const gpuLeases = (rows: LeaseRow[] | undefined): LeaseRow[] => (rows ?? []).filter((l) => (l.resources?.gpus ?? 1) > 0);

/**
 * What gaming mode (and a pause) really does to a rented GPU. Akash leases run until they are
 * closed: pausing only stops new bids, so a tenant who already rents the GPU keeps it, and a game
 * started now shares it. The polite way back is notice (AEP-82), from the Leases screen, with
 * the deadline said here; the notice window itself is a promise made with each new bid.
 */
export function GamingAndLeases({ windowHours }: { windowHours: number | null }): ReactNode {
  const active = useCall('leases.list', { state: 'active', limit: 100, key: null });
  const reclaiming = useCall('leases.list', { state: 'reclaiming', limit: 100, key: null });
  const rented = gpuLeases(active.data?.leases);
  const noticed = gpuLeases(reclaiming.data?.leases);
  const withWindow = rented.filter((l) => (l.reclamation?.windowSeconds ?? 0) > 0);
  return (
    <div className="stack small" data-testid="gaming-leases">
      <span>
        Gaming mode and pauses stop <strong>new</strong> bids only. A tenant who already rents the GPU keeps it until the lease ends or you take it back with notice: a game you start meanwhile shares the GPU with their work, so both run slower and share its memory. RigLease offers every GPU of this machine or none, never some of them.
      </span>
      {rented.length + noticed.length === 0 ? (
        <span className="muted" data-testid="gaming-leases-none">
          No GPU is rented right now: gaming mode gives you the whole GPU.
        </span>
      ) : null}
      {rented.length > 0 ? (
        <span data-testid="gaming-leases-rented">
          Right now the GPU is rented ({rented.length} lease{rented.length === 1 ? '' : 's'}). {withWindow.length > 0 ? 'It stays rented until you reclaim it.' : 'It stays rented until the tenant ends the lease.'}{' '}
          {withWindow.length > 0 ? (
            <a href={hrefFor('/leases')} data-testid="gaming-take-back">
              Take the GPU back with notice ({formatWindow(withWindow[0]!.reclamation!.windowSeconds)})
            </a>
          ) : (
            <span className="muted">{rented.length === 1 ? 'It was' : 'They were'} bid without a notice window, so there is no polite way to ask for the GPU back; going offline ends {rented.length === 1 ? 'it' : 'them'} at once.</span>
          )}
        </span>
      ) : null}
      {noticed.map((l) =>
        l.reclamation?.deadline ? (
          <span key={`${l.owner}/${l.dseq}`} className="row" data-testid="gaming-leases-notice">
            Notice given: the GPU comes back when it ends. <NoticeDeadline deadline={l.reclamation.deadline} />
          </span>
        ) : null,
      )}
      <span className="muted" data-testid="gaming-notice-window">
        {windowHours === null
          ? 'New leases are bid without a notice window: more tenants accept them, but you cannot ask for the GPU back before they end.'
          : `New leases promise ${windowHours} h of notice: after you ask, the tenant keeps the GPU up to ${windowHours} h. A longer window attracts more tenants; a shorter one gets the GPU back sooner.`}{' '}
        <a href={hrefFor('/leases')}>Change it on the Leases screen</a>.
      </span>
    </div>
  );
}
