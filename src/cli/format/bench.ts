import type { BenchHistory, BenchRun, Ladder, PortMapResult, PortsStatus } from '../../api/schemas/bench.js';

const num = (v: number | null | undefined, unit: string, digits = 0): string => (v === null || v === undefined ? '–' : `${v.toLocaleString('en-US', { maximumFractionDigits: digits })} ${unit}`);

/** What `riglease bench` prints without `--json`. */
export function formatBenchRun(run: BenchRun): string {
  const lines: string[] = [`Benchmark ${run.id} at ${run.at}; driver ${run.driverVersion ?? '–'}; GPUs: ${run.gpus.map((g) => g.name).join(', ') || 'none'}`];
  if (run.gpu) {
    const g = run.gpu;
    lines.push('', `GPU compute (CUDA n-body, ${g.device ?? 'GPU'}): ${num(g.gflops, `GFLOP/s ${g.precision} precision`, 1)}`);
    lines.push(`  ${g.bodies.toLocaleString('en-US')} bodies, ${g.iterations} iterations in ${num(g.totalTimeMs, 'ms', 1)}; image ${g.image}`);
    if (run.reference) lines.push(`  ${Math.round(run.reference.ratio * 100)}% of the published ${num(run.reference.gflops, 'GFLOP/s', 1)} for ${run.reference.gpuName} (${run.reference.source})`);
  }
  if (run.disk) {
    const d = run.disk;
    lines.push('', `Disk (${d.method}, ${d.testMiB} MiB at ${d.path}):`);
    lines.push(`  sequential write ${num(d.seqWriteMBps, 'MB/s')}, read ${num(d.seqReadMBps, 'MB/s')}; random 4 KiB read ${num(d.randReadIops, 'IOPS')} (${num(d.randReadLatencyUs, 'µs')}), write ${num(d.randWriteIops, 'IOPS')}`);
    for (const n of d.notes) lines.push(`  note: ${n}`);
  }
  if (run.network) {
    const n = run.network;
    lines.push('', `Network: download ${num(n.downloadMbps, 'Mbit/s', 1)}, upload ${num(n.uploadMbps, 'Mbit/s', 1)}, latency ${num(n.latencyMs, 'ms', 1)}; public address ${n.publicAddress ?? '–'}`);
    for (const e of n.explanation) lines.push(`  ${e}`);
    for (const t of n.notTested) lines.push(`  ${t}`);
  }
  if (run.ports) {
    lines.push('', `Provider ports (${run.ports.reason}):`);
    for (const p of run.ports.ports) lines.push(`  ${String(p.port).padEnd(5)} ${p.state.padEnd(10)} ${p.purpose}: ${p.detail}`);
    for (const a of run.ports.advice) lines.push(`  to do: ${a}`);
  }
  if (run.stability) {
    const s = run.stability;
    lines.push('', `Stability (${s.minutes} min${s.loadRan ? ' under load' : ', no load'}):`);
    for (const g of s.gpus) lines.push(`  ${g.name ?? `GPU ${g.index}`}: max ${num(g.maxTemperatureC, '°C')}, avg ${num(g.avgPowerW, 'W', 1)}, SM clock ${num(g.minSmClockMHz, '')}–${num(g.maxSmClockMHz, 'MHz')}, throttled ${g.throttledPct.toFixed(0)}% of samples`);
    for (const f of s.flags) lines.push(`  ${f.severity.toUpperCase()}: ${f.message}`);
  }
  for (const e of run.errors) lines.push('', `${e.section}: did not finish: ${e.error.message}`, ...(e.error.fix ? [`  fix: ${e.error.fix}`] : []));
  return lines.join('\n');
}

const MARK = { green: 'ok     ', red: 'FAILED ', unknown: '?      ', skipped: 'skipped' } as const;

export function formatLadder(l: Ladder): string {
  const lines = l.rungs.map((r) => `${MARK[r.state]}  ${r.title}: ${r.reason}${r.fix ? `\n         fix: ${r.fix}` : ''}`);
  lines.push('', l.stopsAt ? `The ladder stops at: ${l.rungs.find((r) => r.id === l.stopsAt)?.title ?? l.stopsAt}.` : 'Every rung is green: tenants can use this GPU.');
  return lines.join('\n');
}

export function formatBenchHistory(h: BenchHistory): string {
  const lines = h.runs.map((r) => `${r.at}  ${r.kinds.join(',').padEnd(24)} ${r.gpu ? num(r.gpu.gflops, 'GFLOP/s', 1) : ''}${r.errors.length ? `  (${r.errors.length} section(s) failed)` : ''}`);
  if (lines.length === 0) lines.push('No benchmark has been run yet.');
  if (h.rerun.suggested) lines.push('', 'A new run is suggested:', ...h.rerun.reasons.map((r) => `  ${r}`));
  return lines.join('\n');
}

/** `riglease ports map|unmap` without `--json`. */
export function formatPortMapResult(r: PortMapResult, action: 'map' | 'unmap'): string {
  const lines: string[] = [];
  if (action === 'map') {
    lines.push(r.method ? `The router (${r.gateway ?? '?'}) answered ${r.method === 'nat-pmp' ? 'NAT-PMP' : 'UPnP'}; it reports the outside address ${r.externalAddress ?? 'as unknown'}.` : 'No router mapped the ports.');
    for (const a of r.attempts) lines.push(`  tried: ${a}`);
  } else if (r.mappings.length > 0) {
    lines.push(`Removing the ${r.method === 'nat-pmp' ? 'NAT-PMP' : 'UPnP'} mappings at ${r.gateway ?? '?'}:`);
  }
  for (const m of r.mappings) lines.push(`  ${m.ok ? 'ok    ' : 'FAILED'}  TCP ${String(m.port).padEnd(5)} \u2192 this computer:${m.internalPort}  ${m.message}`);
  if (action === 'map' && r.mappings.some((m) => m.ok && (m.lifetimeSec ?? 0) > 0)) lines.push('', 'Nothing renews these mappings after this command ends; the app and `riglease serve` renew them while they run.');
  for (const a of r.advice) lines.push('', `to do: ${a}`);
  return lines.join('\n');
}

/** `riglease ports status` without `--json`. */
export function formatPortsStatus(s: PortsStatus): string {
  const l = s.local;
  const nat = l.localKind === 'private' ? 'behind a router (NAT): tenants reach it only through forwarded ports' : l.localKind === 'cgnat' ? 'behind carrier-grade NAT: forwarding on your router cannot work' : l.localKind === 'public' ? 'on a public address: only its firewall decides' : 'of an unknown kind';
  const lines = [`This computer: ${l.localAddress ?? 'address unknown'} on ${l.interfaceName ?? '?'}, gateway ${l.gateway ?? '?'}; ${nat}.`];
  if (s.held) {
    lines.push('', `Router mappings RigLease holds (${s.held.method === 'nat-pmp' ? 'NAT-PMP' : 'UPnP'} at ${s.held.gateway}, since ${s.held.at}${s.held.renewing ? ', renewed while this runs' : ''}):`);
    for (const m of s.held.mappings) lines.push(`  TCP ${String(m.port).padEnd(5)} \u2192 this computer:${m.internalPort}  ${m.expiresAt === null ? 'permanent' : m.expired ? `EXPIRED at ${m.expiresAt}` : `until ${m.expiresAt}`}`);
  } else {
    lines.push('', 'RigLease holds no router mappings (`riglease ports map` asks the router).');
  }
  if (s.lastCheck) {
    lines.push('', `Last outside check ${s.lastCheck.at} (${s.lastCheck.ports.reason}):`);
    for (const p of s.lastCheck.ports.ports) lines.push(`  ${String(p.port).padEnd(5)} ${p.state.padEnd(10)} ${p.detail}`);
  }
  for (const a of s.advice) lines.push('', `to do: ${a}`);
  return lines.join('\n');
}
