import type { ReactNode } from 'react';
import type { NetworkReport } from '../../../../src/api/schemas/network.js';
import { useCall } from '../../api/hooks.js';
import { CopyCode } from '../copy-code.js';
import { ErrorView } from '../error-view.js';

const TITLE: Record<NetworkReport['path'], string> = {
  direct: 'Path: direct',
  port_forwarding: 'Path: port forwarding',
  relay: 'Path: relay',
  unknown: 'Path: not decided yet',
};

/** What the path means for this person, in one or two plain sentences. */
function PathText({ r }: { r: NetworkReport }): ReactNode {
  switch (r.path) {
    case 'direct':
      return <p>Tenants reach this computer at {r.public.address} directly. Allow incoming TCP 80, 443, 8443 and 8444 in this computer&apos;s firewall.</p>;
    case 'port_forwarding':
      return (
        <p>
          Your router forwards the provider ports to this computer ({r.local.address}). &ldquo;Ask the router&rdquo; below does it over UPnP or NAT-PMP; otherwise add the rules by hand in the
          router&apos;s settings.
        </p>
      );
    case 'relay':
      return (
        <div className="stack">
          <p>
            No port can be opened to this computer from outside, so tenants need another way in: the relay. It is a small server of yours with a public address; RigLease connects to it and it
            passes tenants&apos; traffic to this computer. Set it up with:
          </p>
          <CopyCode code="riglease relay" />
        </div>
      );
    default:
      return <p>Forward TCP 80, 443, 8443 and 8444 in the router to {r.local.address ?? 'this computer'} and run the outside check: if the ports open, this is the path. If not, use the relay.</p>;
  }
}

/**
 * The Network step's first card: what kind of connection this is (direct, one router, two
 * routers, carrier-grade NAT), the three addresses it was decided from, and the path that follows.
 */
export function NetworkPathCard(): ReactNode {
  const detect = useCall('network.detect', {});
  const r = detect.data;
  return (
    <section className="card stack" data-testid="network-path" data-kind={r?.kind ?? ''} data-path={r?.path ?? ''}>
      <div className="card-header">
        <h3>{r ? TITLE[r.path] : 'Looking at your network…'}</h3>
        <button type="button" className="button" onClick={detect.refresh} disabled={detect.loading}>
          Look again
        </button>
      </div>
      {detect.error ? <ErrorView error={detect.error} title="The network could not be read" /> : null}
      {!r ? (
        detect.loading ? <div className="skeleton skeleton-block" /> : null
      ) : (
        <>
          <p data-testid="network-headline">
            <strong>{r.headline}</strong>
          </p>
          {r.explanation.map((line) => (
            <p key={line} className="muted small">
              {line}
            </p>
          ))}
          <PathText r={r} />
          <span className="muted small" data-testid="network-addresses">
            This computer {r.local.address ?? 'unknown'} · router&apos;s outside address {r.router.wanAddress ?? 'not read'} · seen from the internet as {r.public.address ?? 'not read'}
          </span>
          {r.unread.length > 0 ? (
            <details>
              <summary className="small">What could not be read ({r.unread.length})</summary>
              <ul className="small">
                {r.unread.map((u) => (
                  <li key={u}>{u}</li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
    </section>
  );
}
