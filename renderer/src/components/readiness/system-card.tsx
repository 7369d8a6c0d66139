import type { ReactNode } from 'react';
import type { SystemInfo } from '../../../../src/api/schemas/hardware.js';
import { formatGiB, formatNumber } from '../../format.js';
import { KeyValues } from './key-values.js';

const OS_NAMES: Record<SystemInfo['os']['kind'], string> = {
  linux: 'Linux',
  wsl2: 'Windows, inside WSL2',
  windows: 'Windows',
  macos: 'macOS',
  other: 'Other',
};

export function osLabel(os: SystemInfo['os']): string {
  const detail = [os.distro, os.release].filter(Boolean).join(' ');
  return detail ? `${OS_NAMES[os.kind]} (${detail})` : OS_NAMES[os.kind];
}

export function SystemCard({ system }: { system: SystemInfo }): ReactNode {
  const { cpu, memory, disk } = system;
  return (
    <section className="card" data-testid="system-card">
      <h2>System</h2>
      <KeyValues
        rows={[
          ['CPU', cpu.model],
          ['Cores / threads', `${formatNumber(cpu.cores)} / ${formatNumber(cpu.threads)}`],
          ['Virtualization', cpu.virtualization === null ? 'Could not tell' : cpu.virtualization ? 'On' : 'Off or not reported'],
          ['Memory', `${formatGiB(memory.totalMiB)} (${formatGiB(memory.availableMiB)} free)`],
          [
            'Free disk',
            disk ? (
              <span key="disk">
                {formatGiB(disk.freeMiB)} of {formatGiB(disk.totalMiB)}
                <br />
                <span className="muted small">at {disk.path}</span>
              </span>
            ) : (
              'Could not measure'
            ),
          ],
          ['Operating system', osLabel(system.os)],
          ['Kernel', system.os.kernel ?? undefined],
          ['Architecture', system.arch],
          ['Computer name', system.hostname],
        ]}
      />
    </section>
  );
}
