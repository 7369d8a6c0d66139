import type { ReactNode } from 'react';
import type { FleetMachine } from '../../../../src/api/schemas/farm.js';
import { formatPercent, formatTime, formatUnit, formatVram } from '../../format.js';
import { MachineActions } from './machine-actions.js';

function reachBadge(m: FleetMachine): ReactNode {
  if (m.reachability === 'unreachable') return <span className="badge-block">not answering since {m.lastSeen ? formatTime(m.lastSeen) : 'it joined'}</span>;
  return <span className="badge-ok">{m.reachability === 'self' ? 'this machine' : `seen ${m.lastSeen ? formatTime(m.lastSeen) : ''}`}</span>;
}

/** One machine of the farm on the controller's Fleet screen: its node, address, GPUs, benchmark and leases, then what can be done to it. */
export function MachineCard({ m, onChange }: { m: FleetMachine; onChange: () => void }): ReactNode {
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
      <MachineActions m={m} paused={paused} onChange={onChange} />
    </article>
  );
}
