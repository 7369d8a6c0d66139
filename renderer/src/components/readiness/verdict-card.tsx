import type { ReactNode } from 'react';
import type { HardwareReport } from '../../../../src/api/schemas/hardware.js';
import type { StatusLevel } from '../status-store.js';

interface Summary {
  level: StatusLevel;
  title: string;
  detail: string;
  /** The one-liner for the status line at the top. */
  status: string;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The verdict in plain words, with the reason when the answer is not yes. */
export function summarize(report: HardwareReport): Summary {
  const blocks = report.checks.filter((c) => c.status === 'block');
  const warns = report.checks.filter((c) => c.status === 'warn');
  const gpus = report.gpus.length;
  const gpuWords = gpus === 0 ? 'no NVIDIA GPU' : plural(gpus, 'GPU', 'GPUs');
  switch (report.verdict) {
    case 'ready':
      return {
        level: 'ok',
        title: 'Yes: this machine can become an Akash GPU provider.',
        detail: `Found ${gpuWords}; ${plural(report.checks.length, 'check', 'checks')} passed${warns.length ? `, ${plural(warns.length, 'warning', 'warnings')} to look at` : ''}.`,
        status: `Ready to provide with ${gpuWords}`,
      };
    case 'needs_attention':
      return {
        level: 'warn',
        title: 'Almost: this machine can provide, but some things need your attention.',
        detail: `Found ${gpuWords}. ${plural(warns.length, 'warning', 'warnings')}: ${warns.map((w) => w.title).join('; ')}.`,
        status: `Needs attention: ${warns[0]?.title ?? 'see Readiness'}`,
      };
    case 'blocked':
      return {
        level: 'block',
        title: 'Not yet: something stops this machine from being a provider.',
        detail: `${plural(blocks.length, 'problem blocks', 'problems block')} it: ${blocks.map((b) => b.title).join('; ')}. The fixes are below.`,
        status: `Not ready: ${blocks[0]?.title ?? 'see Readiness'}`,
      };
  }
}

export function VerdictCard({ report }: { report: HardwareReport }): ReactNode {
  const s = summarize(report);
  return (
    <section className={`card verdict verdict-${report.verdict}`} data-testid="verdict" data-verdict={report.verdict}>
      <div className="stack">
        <span className="verdict-title">{s.title}</span>
        <span className="muted">{s.detail}</span>
      </div>
    </section>
  );
}
