import { listCrashReports } from '../crash-reports.js';
import { singleCheck, type DiagnosticSource } from './check-registry.js';

const WEEK_MS = 7 * 86_400_000;

/** "No crash in the last 7 days": a warning naming the latest crash's reason (already redacted on disk). */
export function crashDiagnosticSource(home: string, now: () => Date = () => new Date()): DiagnosticSource {
  return singleCheck({
    id: 'app.crashes',
    area: 'app',
    what: 'No crash in the last 7 days',
    run: async () => {
      const reports = await listCrashReports(home);
      const since = now().getTime() - WEEK_MS;
      const recent = reports.filter((r) => Date.parse(r.time) >= since);
      const latest = recent[0];
      if (!latest) {
        return { status: 'ok', why: reports.length === 0 ? 'RigLease has not crashed.' : `No crash in the last 7 days (${reports.length} older crash report${reports.length === 1 ? '' : 's'} kept).` };
      }
      return {
        status: 'warn',
        why: `RigLease stopped unexpectedly ${recent.length === 1 ? 'once' : `${recent.length} times`} in the last 7 days; the latest, ${latest.time.replace('T', ' ').slice(0, 16)} UTC: ${latest.reason}`,
        fix: 'Export diagnostics (it includes the crash reports, with secrets removed) and attach the zip to a bug report.',
      };
    },
  });
}
