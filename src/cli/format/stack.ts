import type { StackActionResult, StackLogs, StackPlan, StackStatus } from '../../api/schemas/stack.js';
import type { TaskSnapshot } from '../../api/schemas/task.js';
import { formatSpan } from '../../api/format/age.js';

const age = (sec: number | null): string => (sec === null ? '–' : formatSpan(sec));

export function formatPlan(p: StackPlan): string {
  const c = p.containers[0];
  const ports = p.ports.filter((x) => x.purpose !== 'tenant NodePort');
  const nodePorts = p.ports.filter((x) => x.purpose === 'tenant NodePort');
  const lines = [
    `Container: ${c?.name ?? '–'} (${c?.image ?? '–'}), spec ${c?.specHash ?? '–'}`,
    `GPUs: ${p.gpus.all ? 'all' : p.gpus.deviceIds.length ? p.gpus.deviceIds.join(', ') : 'none (CPU only)'}`,
    `Network: ${p.networks.map((n) => n.name).join(', ')}`,
    `Volumes: ${p.volumes.map((v) => `${v.name} → ${v.mountPath}`).join(', ')}`,
    `Ports: ${ports.map((x) => `${x.host}→${x.container} (${x.purpose})`).join(', ')}`,
    `NodePorts: ${nodePorts.length ? `${nodePorts[0]!.host}-${nodePorts[nodePorts.length - 1]!.host}` : 'none'}`,
    `Manifests: ${p.manifests.map((m) => m.file).join(', ')}`,
    'Egress from pods:',
    ...p.egressRules.map((r) => `  ${r.action.padEnd(5)} ${r.cidr.padEnd(16)} ${r.why}`),
  ];
  if (p.notes.length) lines.push('Notes:', ...p.notes.map((n) => `  - ${n}`));
  return lines.join('\n');
}

export function formatStatus(s: StackStatus): string {
  const lines = [`Provider stack: ${s.overall.replace('_', ' ')}${s.upToDate || s.overall === 'not_installed' ? '' : ' (settings changed: "riglease stack up" applies them)'}`, ''];
  for (const c of s.components) {
    lines.push(`  ${c.name.padEnd(26)} ${c.state.padEnd(8)} ${age(c.ageSec).padEnd(7)} ${c.whyNotReady ?? c.detail}`);
  }
  if (s.gpus.length) {
    lines.push('', 'GPUs in the cluster inventory:');
    for (const g of s.gpus) lines.push(`  ${g.name} (${g.uuid ?? 'no UUID'}): ${g.state}. ${g.detail}`);
  }
  if (s.volumes.length) lines.push('', `Data volumes: ${s.volumes.join(', ')}`);
  return lines.join('\n');
}

export function formatAction(r: StackActionResult): string {
  return r.message;
}

export function formatLogs(l: StackLogs): string {
  return l.lines.map((x) => x.line).join('\n') || `(no log lines from ${l.component})`;
}

export function formatTask(t: TaskSnapshot): string {
  if (t.state === 'succeeded') return `Done: ${t.kind} succeeded.`;
  return `${t.kind} ${t.state} at step ${t.failedStep ?? t.step} of ${t.of}: ${t.error?.message ?? t.message}${t.error?.fix ? `\nfix: ${t.error.fix}` : ''}`;
}
