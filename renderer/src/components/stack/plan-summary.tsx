import type { ReactNode } from 'react';
import { useCall } from '../../api/hooks.js';
import { ErrorView } from '../error-view.js';

const th = { width: 'auto' } as const;

/** What Start providing creates: ports it publishes and the egress fence around tenant pods. */
export function PlanSummary(): ReactNode {
  const plan = useCall('stack.plan', {});
  const p = plan.data;
  return (
    <details className="card" data-testid="stack-plan">
      <summary>
        <strong>What Start providing creates</strong> <span className="muted small">(ports, data volumes, and what tenant workloads may not reach)</span>
      </summary>
      {plan.error ? <ErrorView error={plan.error} onRetry={plan.refresh} /> : null}
      {p ? (
        <div className="stack">
          <p>
            One privileged k3s container <code className="inline-code">{p.containers[0]?.name}</code> running <code className="inline-code">{p.containers[0]?.image}</code>
            {p.gpus.deviceIds.length ? `, with ${p.gpus.deviceIds.length} GPU${p.gpus.deviceIds.length > 1 ? 's' : ''}` : ', CPU only'}; data on volumes {p.volumes.map((v) => v.name).join(', ')}.
          </p>
          <p>Charts: {p.manifests.map((m) => m.component).join(', ')}.</p>
          <h3>Ports published on this computer</h3>
          <p className="small">
            {p.ports
              .filter((x) => x.purpose !== 'tenant NodePort')
              .map((x) => `${x.host} (${x.purpose})`)
              .join(' · ')}
            {p.ports.some((x) => x.purpose === 'tenant NodePort') ? ` · ${p.ports.filter((x) => x.purpose === 'tenant NodePort').length} NodePorts` : ''}
          </p>
          <h3>Network fence for tenant workloads</h3>
          <table className="table" data-testid="egress-rules">
            <tbody>
              {p.egressRules.map((r) => (
                <tr key={r.cidr} data-action={r.action}>
                  <td className="mono" style={th}>
                    {r.cidr}
                  </td>
                  <td>
                    <span className={r.action === 'drop' ? 'badge-block' : 'badge-ok'}>{r.action === 'drop' ? 'blocked' : 'allowed'}</span>
                  </td>
                  <td>{r.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {p.notes.length ? (
            <ul data-testid="plan-notes">
              {p.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </details>
  );
}
