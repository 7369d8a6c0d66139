import type { ReactNode } from 'react';
import type { GpuInfo } from '../../../../src/api/schemas/hardware.js';
import { formatMiB, formatNumber, formatPercent, formatUnit, formatVram } from '../../format.js';
import { KeyValues } from './key-values.js';

/** Everything the scan learned about one GPU, including who is using it right now. */
export function GpuInfoCard({ gpu }: { gpu: GpuInfo }): ReactNode {
  const power =
    gpu.powerDrawW === null && gpu.powerLimitW === null ? '—' : `${formatUnit(gpu.powerDrawW, 'W', 1)} of ${formatUnit(gpu.powerLimitW, 'W')} limit`;
  return (
    <section className="card" data-testid="gpu-card" data-gpu-index={gpu.index}>
      <div className="card-header">
        <h3 data-testid="gpu-name">{gpu.name}</h3>
        {gpu.akash ? (
          <span className="badge" title="How Akash names this GPU in provider attributes">
            {gpu.akash.model} · {gpu.akash.ram} · {gpu.akash.interface}
          </span>
        ) : (
          <span className="badge-warn" title="Akash's GPU list does not know this model yet">
            Not in Akash's GPU list
          </span>
        )}
      </div>
      <KeyValues
        rows={[
          [
            'VRAM',
            <span key="vram">
              <strong data-testid="gpu-vram">{formatVram(gpu.vramMiB)}</strong>{' '}
              <span className="muted" data-testid="gpu-vram-mib">
                ({formatMiB(gpu.vramMiB)})
              </span>
            </span>,
          ],
          ['Driver', gpu.driverVersion ?? '—'],
          ['CUDA', gpu.cudaVersion ?? '—'],
          ['UUID', <span key="uuid" className="mono">{gpu.uuid ?? '—'}</span>],
          ['PCI bus', <span key="pci" className="mono">{gpu.pciBusId ?? '—'}</span>],
          ['Temperature', formatUnit(gpu.temperatureC, '°C')],
          ['Power draw', power],
          ['Utilization', formatPercent(gpu.utilizationPct)],
          ['Memory used', gpu.memoryUsedMiB === null ? '—' : `${formatNumber(gpu.memoryUsedMiB)} of ${formatMiB(gpu.vramMiB)}`],
          ['Architecture', gpu.architecture ?? undefined],
          ['Driver model', gpu.driverModel ?? undefined],
          ['MIG', gpu.migEnabled === null ? undefined : gpu.migEnabled ? 'Enabled' : 'Off'],
          ['Virtual GPU', gpu.virtualized ? 'Yes (a vGPU guest)' : undefined],
        ]}
      />
      <h3 className="processes-title">Processes</h3>
      <Processes gpu={gpu} />
    </section>
  );
}

function Processes({ gpu }: { gpu: GpuInfo }): ReactNode {
  if (gpu.processes.length === 0) {
    return (
      <p className="muted" data-testid="gpu-processes-empty">
        No process is using this GPU.
      </p>
    );
  }
  return (
    <table className="table" data-testid="gpu-processes">
      <thead>
        <tr>
          <th>PID</th>
          <th>Program</th>
          <th>Memory</th>
        </tr>
      </thead>
      <tbody>
        {gpu.processes.map((p) => (
          <tr key={`${p.pid}-${p.name}`}>
            <td className="mono">{p.pid}</td>
            <td>
              {p.name}
              {p.type ? <span className="muted"> ({p.type})</span> : null}
            </td>
            {/* WDDM and vGPU hide per-process memory: say so instead of showing 0. */}
            <td>{p.usedMiB === null ? 'not reported' : formatMiB(p.usedMiB)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
