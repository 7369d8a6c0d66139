import type { RigStatusReport } from '../../api/schemas/dashboard.js';

const WORD: Record<RigStatusReport['status']['level'], string> = { ok: 'OK', warn: 'ATTENTION', block: 'BLOCKED', info: 'INFO' };

/** The same line the app's top bar and the tray show, then the fix, then every other alert. */
export function formatRigStatus(r: RigStatusReport): string {
  const s = r.status;
  const lines = [`${WORD[s.level]}  ${s.text}`];
  if (s.fix) lines.push(`  What to do: ${s.fix}`);
  const rest = r.alerts.filter((a) => a.text !== s.text);
  if (rest.length > 0) lines.push('', 'Also:', ...rest.map((a) => `  - ${a.text}${a.fix ? ` — ${a.fix}` : ''}`));
  if (r.gaps.length > 0) lines.push('', 'Could not read:', ...r.gaps.map((g) => `  - ${g.part}: ${g.message}`));
  if (r.demo) lines.push('', '(demo mode: a simulated rig)');
  return lines.join('\n');
}
