import type { Check, GpuInfo, HardwareReport } from '../../api/schemas/hardware.js';

const MARK: Record<Check['status'], string> = { ok: 'ok   ', warn: 'WARN ', block: 'BLOCK' };
const VERDICT: Record<HardwareReport['verdict'], string> = {
  ready: 'Ready: this machine can become an Akash GPU provider.',
  needs_attention: 'Needs attention: it can work, but see the warnings below.',
  blocked: 'Blocked: fix the BLOCK items below before this machine can be a provider.',
};

const num = (v: number | null, unit: string, digits = 0): string => (v === null ? '–' : `${v.toFixed(digits)} ${unit}`);
const gib = (mib: number | null): string => (mib === null ? '–' : `${(mib / 1024).toFixed(mib >= 10240 ? 0 : 1)} GiB`);

function gpuLine(g: GpuInfo): string {
  const power = g.powerDrawW === null && g.powerLimitW === null ? '–' : `${num(g.powerDrawW, 'W')} / ${num(g.powerLimitW, 'W')}`;
  return `  #${g.index}  ${g.name}  ${gib(g.vramMiB)}  driver ${g.driverVersion ?? '–'}  CUDA ${g.cudaVersion ?? '–'}  ${num(g.temperatureC, '°C')}  ${power}  util ${num(g.utilizationPct, '%')}`;
}

/** The short readable table `riglease hardware` prints; `--json` prints the report itself. */
export function formatHardwareReport(r: HardwareReport): string {
  const lines: string[] = [VERDICT[r.verdict], ''];
  lines.push(`GPUs (${r.gpus.length}):`);
  if (r.gpus.length === 0) lines.push(`  none found: ${r.nvidia.message}`);
  for (const g of r.gpus) lines.push(gpuLine(g));
  const s = r.system;
  lines.push('', 'System:');
  lines.push(`  ${s.os.distro ?? s.os.platform} ${s.os.release ?? ''} (${s.os.kind}, ${s.arch})`.replace(/\s+\(/, ' ('));
  lines.push(`  CPU ${s.cpu.model}, ${s.cpu.cores ?? '?'} cores / ${s.cpu.threads ?? '?'} threads; RAM ${gib(s.memory.totalMiB)}`);
  if (s.disk) lines.push(`  disk ${gib(s.disk.freeMiB)} free of ${gib(s.disk.totalMiB)} at ${s.disk.path}`);
  const d = r.docker;
  lines.push('', 'Docker:');
  lines.push(d.reachable ? `  ${d.operatingSystem ?? 'engine'} ${d.version ?? ''} at ${d.endpoint}; GPUs for containers: ${d.gpuCapable ? 'yes' : 'no'}` : `  ${d.message}`);
  lines.push('', 'Checks:');
  for (const c of r.checks) {
    lines.push(`  ${MARK[c.status]}  ${c.title}: ${c.detail}`);
    if (c.fix && c.status !== 'ok') lines.push(`         fix: ${c.fix}`);
  }
  lines.push('', `Scanned in ${Math.round(r.durationMs)} ms.`);
  return lines.join('\n');
}
