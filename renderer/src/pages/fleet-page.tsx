import { useEffect, useState, type ReactNode } from 'react';
import { FarmJoinResult, type FarmActionResult, type FarmBidding, type FarmStatus, type FarmToken, type FleetMachine } from '../../../src/api/schemas/farm.js';
import type { TaskRef } from '../../../src/api/schemas/task.js';
import { useClient } from '../api/client-context.js';
import { toRigError, useCall, useEvent, useTask } from '../api/hooks.js';
import { CopyCode } from '../components/copy-code.js';
import { FLEET_PAGE_SIZE, FleetPager, lastPageOffset } from '../components/farm/fleet-pager.js';
import { ErrorView } from '../components/error-view.js';
import { JoinQr } from '../components/farm/join-qr.js';
import { LeaveFarm } from '../components/farm/leave-farm.js';
import { RevokeCode } from '../components/farm/revoke-code.js';
import { MemberNode } from '../components/farm/member-node.js';
import { StackForFarm } from '../components/farm/stack-for-farm.js';
import { formatPercent, formatTime, formatUnit, formatVram } from '../format.js';

/**
 * Fleet: every machine of the farm in one place (controller), "Add a machine" with the join
 * code and its QR code, and "Join a farm" on a machine that is not in one yet.
 */
export function FleetPage(): ReactNode {
  const [offset, setOffset] = useState(0);
  const [token, setToken] = useState<FarmToken | null>(null);
  // One page from the controller; it says when the fleet changed (heartbeats, joins, a machine
  // that stopped answering) and the page is asked for again: no polling.
  const status = useCall('farm.status', { offset, limit: FLEET_PAGE_SIZE });
  const demo = useCall('app.info', {}).data?.demo === true;
  const { refresh } = status;
  useEvent('farm.changed', refresh);
  const s = status.data;
  const total = s?.page?.total;
  useEffect(() => {
    // Machines left while a later page was open: show the last page there is.
    if (total !== undefined && offset > 0 && offset >= total) setOffset(lastPageOffset(total));
  }, [offset, total]);
  return (
    <div className="page" data-testid="fleet-page">
      <div className="page-header">
        <div className="stack">
          <h1>Fleet</h1>
          <span className="muted">Many machines, one provider: every GPU of the farm, and who answers.</span>
        </div>
      </div>
      {status.error ? <ErrorView error={status.error} /> : null}
      {s?.role === 'controller' ? (
        <>
          <section className="card" data-testid="fleet-totals">
            <div className="row">
              <span className="badge">{s.totals.machines} machines</span>
              <span className={s.totals.reachable === s.totals.machines ? 'badge-ok' : 'badge-warn'}>{s.totals.reachable} answering</span>
              <span className="badge">{s.totals.gpus} GPUs</span>
            </div>
            {s.notes.map((n) => (
              <p key={n} className="muted small">{n}</p>
            ))}
          </section>
          <WholeFarm bidding={s.bidding} machines={s.totals.machines} onChange={refresh} />
          <FleetPager items={s.machines} page={s.page ?? { offset: 0, limit: s.machines.length, total: s.machines.length }} onOffset={setOffset} render={(m) => <MachineCard key={m.machineId} m={m} onChange={refresh} />} />
          <AddMachine token={token} setToken={setToken} />
          {/* The demo has no second computer: its simulated one joins with the code through the same join path. */}
          {demo ? <JoinFarm onJoined={refresh} demo /> : null}
          {s.codes && s.codes.length > 0 ? (
            <section className="card stack" data-testid="fleet-open-codes">
              <h2>Open join codes</h2>
              <p className="muted small">Each lets one machine in until it expires. Revoke one you shared by mistake.</p>
              {s.codes.map((c) => (
                <div key={c.id} className="row">
                  <span className="mono small">{c.id}</span>
                  <span className="small muted">expires {formatTime(c.expiresAt)}</span>
                  <RevokeCode id={c.id} onRevoked={refresh} />
                </div>
              ))}
            </section>
          ) : null}
          <details className="card">
            <summary>On-chain attributes from the whole farm's GPUs</summary>
            <ul className="mono small" data-testid="fleet-attributes">
              {s.attributes.map((a) => (
                <li key={a.key}>
                  {a.key}={a.value}
                </li>
              ))}
            </ul>
          </details>
        </>
      ) : null}
      {s?.role === 'member' ? (
        <section className="card stack" data-testid="fleet-member">
          <h2>Part of a farm</h2>
          <p>
            This machine's GPUs are offered by the farm of <b>{s.controller?.hostname}</b> ({s.controller?.api}). The fleet view is on that machine.
          </p>
          <MemberNode />
          {s.notes.map((n) => (
            <p key={n} className="muted small">{n}</p>
          ))}
          <LeaveFarm controller={s.controller?.hostname ?? 'its controller'} onLeft={refresh} />
        </section>
      ) : null}
      {s?.role === 'none' ? (
        <div className="grid-2">
          <AddMachine first token={token} setToken={setToken} />
          <JoinFarm onJoined={refresh} />
        </div>
      ) : null}
    </div>
  );
}

function reachBadge(m: FleetMachine): ReactNode {
  if (m.reachability === 'unreachable') return <span className="badge-block">not answering since {m.lastSeen ? formatTime(m.lastSeen) : 'it joined'}</span>;
  return <span className="badge-ok">{m.reachability === 'self' ? 'this machine' : `seen ${m.lastSeen ? formatTime(m.lastSeen) : ''}`}</span>;
}

function MachineCard({ m, onChange }: { m: FleetMachine; onChange: () => void }): ReactNode {
  const client = useClient();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<FarmActionResult | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  /** The server's own list of the leases that would end, shown before offline is confirmed. */
  const [confirmOffline, setConfirmOffline] = useState<string | null>(null);
  const askOffline = () => {
    setError(null);
    client
      .call('farm.offline', { machine: m.machineId, confirm: false })
      .then((r) => setResult(r))
      .catch((err: unknown) => {
        const e = toRigError(err);
        if (e.code === 'precondition_failed') setConfirmOffline(e.message);
        else setError(e);
      });
  };
  const act = (method: 'farm.pause' | 'farm.resume' | 'farm.remove' | 'farm.offline') => {
    setError(null);
    const call = method === 'farm.remove' || method === 'farm.offline' ? client.call(method, { machine: m.machineId, confirm: true }) : client.call(method, { machine: m.machineId });
    call
      .then((r) => {
        setResult(r);
        setConfirmRemove(false);
        setConfirmOffline(null);
        onChange();
      })
      .catch((err: unknown) => setError(toRigError(err)));
  };
  const paused = m.node.intent === 'cordoned';
  return (
    <article className="card stack" data-testid={`fleet-machine-${m.hostname}`}>
      <div className="card-header">
        <h3>{m.hostname}</h3>
        <div className="row">
          <span className="badge">{m.role}</span>
          {reachBadge(m)}
        </div>
      </div>
      <div className="row small">
        <span className="mono">{m.nodeName}</span>
        <span className={paused ? 'badge-warn' : 'badge-ok'} data-testid="node-intent">
          {paused ? 'paused (cordoned)' : 'takes new leases'}
        </span>
        {m.node.applied || !m.node.note ? null : <span className="muted" data-testid="node-note">intent recorded, not applied yet: {m.node.note}</span>}
        {m.availability ? <span className="badge">{m.availability}</span> : null}
      </div>
      {m.node.reason ? <span className="muted small">Why: {m.node.reason}</span> : null}
      {m.address ? (
        <span className="small" data-testid="fleet-address" title="The address this machine's k3s gives the farm (--node-external-ip): the other machines reach its node there">
          LAN address: <span className="mono">{m.address.advertised ?? 'not told yet'}</span>
          {m.address.seenFrom && m.address.seenFrom !== m.address.advertised ? (
            <>
              {' '}
              · connects from <span className="mono">{m.address.seenFrom}</span>
            </>
          ) : null}
        </span>
      ) : null}
      {m.address?.warning ? (
        <span className="badge-warn small" data-testid="fleet-address-warning">
          {m.address.warning}
        </span>
      ) : null}
      <table className="table small">
        <tbody>
          {m.gpus.map((g) => (
            <tr key={`${g.index}-${g.uuid ?? ''}`}>
              <th>{g.name}</th>
              <td>
                {formatVram(g.vramMiB)} · {formatPercent(g.utilizationPct)} · {formatUnit(g.temperatureC, '°C')} · {formatUnit(g.powerDrawW, 'W')}
              </td>
            </tr>
          ))}
          {m.gpus.length === 0 ? (
            <tr>
              <td className="muted">No GPU reported.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <span className={m.bench ? 'small' : 'small muted'} data-testid="fleet-bench">
        {m.bench ? `GPU benchmark: ${m.bench.gflops.toFixed(0)} GFLOP/s (CUDA n-body, ${formatTime(m.bench.at)})` : 'No GPU benchmark on this machine yet.'}
      </span>
      <span className={m.leases?.known ? 'small' : 'small muted'} data-testid="fleet-leases">
        {!m.leases
          ? 'Leases: not known here.'
          : m.leases.known
            ? `Leases: ${m.leases.leases.length}${m.leases.leases.length ? ` (${m.leases.leases.map((l) => l.key.split('/').slice(1).join('/')).join(', ')})` : ''} · share of earnings: ${m.leases.sharePct === null ? '—' : `${m.leases.sharePct}%`}`
            : 'Leases: unknown — the cluster did not say where leases run.'}
      </span>
      <div className="row">
        <button type="button" className="button button-small" onClick={() => act(paused ? 'farm.resume' : 'farm.pause')} data-testid="fleet-pause" title={paused ? `Let new leases land on ${m.hostname} again` : `Cordon ${m.hostname}'s node only: no new lease lands there, its leases continue, the other machines keep bidding`}>
          {paused ? 'Resume this machine' : 'Pause this machine'}
        </button>
        {m.role === 'agent' && confirmOffline === null ? (
          <button type="button" className="button button-small" onClick={askOffline} data-testid="fleet-offline">
            Take offline…
          </button>
        ) : null}
        {m.role === 'agent' && !confirmRemove ? (
          <button type="button" className="button button-small" onClick={() => setConfirmRemove(true)} data-testid="fleet-remove">
            Remove…
          </button>
        ) : null}
      </div>
      {confirmOffline !== null ? (
        <div className="stack small" data-testid="fleet-offline-confirm">
          <span>{confirmOffline}</span>
          <div className="row">
            <button type="button" className="button button-small button-primary" onClick={() => act('farm.offline')}>
              Take {m.hostname} offline
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirmOffline(null)}>
              Keep it online
            </button>
          </div>
        </div>
      ) : null}
      {confirmRemove ? (
        <div className="stack small" data-testid="fleet-remove-confirm">
          <span>Removing {m.hostname} drains its node: the leases running on it end. Its node is deleted, its pairing forgotten, and its agent stops on its next heartbeat.</span>
          <div className="row">
            <button type="button" className="button button-small button-primary" onClick={() => act('farm.remove')}>
              Remove {m.hostname}
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirmRemove(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}
      {result ? <span className="small muted" data-testid="fleet-action-result">{result.message}</span> : null}
      {error ? <ErrorView error={error} /> : null}
    </article>
  );
}

/**
 * The whole farm's pause: the provider's bid table (no bid for any machine), as opposed to one
 * machine's "Pause this machine" (its node cordoned, the others keep bidding).
 */
function WholeFarm({ bidding, machines, onChange }: { bidding: FarmStatus['bidding']; machines: number; onChange: () => void }): ReactNode {
  const client = useClient();
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<FarmBidding | null>(null);
  const [busy, setBusy] = useState(false);
  const paused = bidding?.paused ?? false;
  const toggle = () => {
    setError(null);
    setBusy(true);
    (paused ? client.call('farm.resumeAll', {}) : client.call('farm.pauseAll', {}))
      .then((r) => {
        setResult(r);
        onChange();
      })
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="card stack" data-testid="fleet-whole-farm">
      <div className="row">
        <span className={paused ? 'badge-warn' : 'badge-ok'} data-testid="fleet-farm-bidding">
          {paused ? `Whole farm paused${bidding?.reason ? ` (${bidding.reason})` : ''}: no bids for any machine` : 'The farm bids'}
        </span>
        <button type="button" className="button button-small" disabled={busy} onClick={toggle} data-testid="fleet-pause-all">
          {paused ? 'Resume the whole farm' : 'Pause the whole farm'}
        </button>
      </div>
      <span className="muted small">
        {paused
          ? 'The provider bids again for every machine that is not paused on its own.'
          : `Stops new bids for all ${machines} machines at once; running leases continue. To pause one machine only (e.g. for gaming), use "Pause this machine" on its card, or its own tray.`}
      </span>
      {result ? <span className="small" data-testid="fleet-farm-result">{result.message}</span> : null}
      {error ? <ErrorView error={error} /> : null}
    </section>
  );
}

/**
 * The code shown is the page's, not this card's: making the first code turns this machine into a
 * controller, the page (told by farm.changed) re-renders as a controller's, and this card moves
 * with the code and its stack re-creation still shown.
 */
function AddMachine({ first = false, token, setToken }: { first?: boolean; token: FarmToken | null; setToken: (t: FarmToken) => void }): ReactNode {
  const client = useClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const make = (recreate = false) => {
    setError(null);
    setBusy(true);
    client
      .call('farm.token', { validMinutes: 60, recreate })
      .then(setToken)
      .catch((err: unknown) => setError(toRigError(err)))
      .finally(() => setBusy(false));
  };
  return (
    <section className="card stack" data-testid="fleet-add">
      <h2>Add a machine</h2>
      <p className="muted small">
        {first ? 'Makes this machine the farm\'s controller: its provider bids for the GPUs of every machine that joins. ' : ''}
        The code below lets one machine join for an hour. It is a secret: share it only with your own machines.
      </p>
      {token ? (
        <div className="row">
          <JoinQr code={token.code} />
          <div className="stack">
            <CopyCode code={token.code} />
            <span className="small">On the other machine: Fleet → Join a farm, or</span>
            <CopyCode code="riglease farm join -" />
            <span className="small muted">Expires {formatTime(token.expiresAt)}. It lets one machine in, once.</span>
            {token.tokenId ? <RevokeCode id={token.tokenId} onRevoked={() => undefined} /> : null}
            {token.notes
              .filter((n) => n !== token.stack?.message)
              .map((n) => (
                <span key={n} className="small muted">
                  {n}
                </span>
              ))}
            {token.stack ? <StackForFarm stack={token.stack} busy={busy} onRecreate={() => make(true)} /> : null}
          </div>
        </div>
      ) : (
        <div className="row">
          <button type="button" className="button button-primary" disabled={busy} onClick={() => make()} data-testid="fleet-make-code">
            Show a join code
          </button>
        </div>
      )}
      {error ? <ErrorView error={error} /> : null}
    </section>
  );
}

function JoinFarm({ onJoined, demo = false }: { onJoined: () => void; demo?: boolean }): ReactNode {
  const client = useClient();
  const [code, setCode] = useState('');
  const [ref, setRef] = useState<TaskRef | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { snapshot } = useTask(ref);
  const busy = ref !== null && (snapshot === null || snapshot.state === 'running');
  const parsed = snapshot?.state === 'succeeded' ? FarmJoinResult.safeParse(snapshot.result) : null;
  const result = parsed?.success ? parsed.data : null;
  const failed = snapshot?.state === 'failed' || snapshot?.state === 'cancelled' ? snapshot.error ?? null : null;
  useEffect(() => {
    if (snapshot?.state === 'succeeded') {
      setCode('');
      onJoined();
    }
  }, [snapshot?.state, onJoined]);
  const join = () => {
    setError(null);
    setRef(null);
    client
      .call('farm.joinStart', { code })
      .then(setRef)
      .catch((err: unknown) => setError(toRigError(err)));
  };
  return (
    <section className="card stack" data-testid="fleet-join">
      <h2>{demo ? 'Join as a second machine (simulated)' : 'Join a farm'}</h2>
      <p className="muted small">
        {demo
          ? 'Paste the code from "Add a machine": a simulated second computer joins with it, checked as a real one would be (the code, its expiry, and that this controller made it).'
          : "Paste the code from the controller's Fleet screen. This machine's readiness is checked first; it keeps no wallet of its own."}
      </p>
      <textarea className="input mono" rows={4} value={code} onChange={(e) => setCode(e.target.value)} aria-label="Join code" data-testid="fleet-join-code" autoComplete="off" spellCheck={false} />
      <div className="row">
        <button type="button" className="button button-primary" disabled={busy || code.trim() === ''} onClick={join} data-testid="fleet-join-button">
          {busy ? 'Joining…' : 'Join'}
        </button>
      </div>
      {busy && snapshot ? (
        <span className="small muted" data-testid="fleet-join-progress">
          Step {snapshot.step} of {snapshot.of}: {snapshot.message}
        </span>
      ) : null}
      {result ? (
        <span data-testid="fleet-join-result">
          Joined the farm of {result.controller} as {result.nodeName}, offering {result.gpus.map((g) => g.name).join(', ')}.
        </span>
      ) : null}
      {error ? <ErrorView error={error} /> : null}
      {failed ? <ErrorView error={failed} /> : null}
    </section>
  );
}
