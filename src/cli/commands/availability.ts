import { tomorrowMorning } from '../../app/tray-model.js';
import { parseCommandArgs, type CliCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { formatAvailability } from '../format/pricing.js';
import { callAndPrint, printResult, runMethod } from '../run-method.js';

/** `90`, `45m`, `1h`, `1h30m`, `2d` → minutes. */
export function parseDuration(text: string): number {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m?)?$/.exec(text.trim());
  if (!m || text.trim() === '') throw new UsageError(`--for ${text}: expected a duration such as 30m, 1h, 1h30m or 2d.`);
  const minutes = Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  if (minutes < 1) throw new UsageError(`--for ${text}: the pause must last at least a minute.`);
  return minutes;
}

/** "until tomorrow" means what it means in the tray: 08:00 local the next day. */
export { tomorrowMorning };

export const availabilityCommand: CliCommand = {
  name: 'availability',
  summary: 'Whether this rig bids: online, pause (for a while) or offline',
  help: () => `Usage: riglease availability [--json]
       riglease availability online [--json]
       riglease availability pause [--for DURATION | --until TIME|tomorrow] [--json]
       riglease availability offline [--yes] [--json]
       riglease availability history [--json]

(none)   the current state and why (gaming mode, schedule, a timed pause…)
online   bid on new orders
pause    no new bids; running leases keep running. --for 1h (30m, 1h30m, 2d) or --until
         2026-12-01T08:00:00+01:00 / tomorrow (08:00) ends the pause by itself, even across a restart.
offline  stops the provider stack: running leases end. Without --yes nothing changes; the leases
         that would end are listed and the exit code is 1.
history  automatic and manual changes, newest first, each with its reason.`,
  run: async (args, ctx) => {
    const first = args[0];
    const sub = first === undefined || first.startsWith('-') ? undefined : first;
    const rest = sub === undefined ? args : args.slice(1);
    const opts = { json: { type: 'boolean', default: false }, for: { type: 'string' }, until: { type: 'string' }, yes: { type: 'boolean', default: false } } as const;
    const { values } = parseCommandArgs(`availability${sub ? ` ${sub}` : ''}`, rest, opts);
    if ((values.for || values.until) && sub !== 'pause') throw new UsageError('--for and --until go with pause.', 'riglease availability pause --for 1h');
    if (values.yes && sub !== 'offline') throw new UsageError('--yes goes with offline.');
    if (sub === undefined) return callAndPrint(ctx, 'availability.get', {}, { json: values.json, human: formatAvailability });
    if (sub === 'history') {
      return callAndPrint(ctx, 'availability.history', { limit: 50 }, {
        json: values.json,
        human: (h) => (h.length === 0 ? 'No changes yet.' : h.map((e) => `${e.at}  ${e.from} → ${e.to}  ${e.automatic ? '(automatic) ' : ''}${e.reason}`).join('\n')),
      });
    }
    if (sub === 'online') return callAndPrint(ctx, 'availability.set', { mode: 'online' }, { json: values.json, human: (r) => formatAvailability(r.status) });
    if (sub === 'pause') {
      if (values.for && values.until) throw new UsageError('Use --for or --until, not both.');
      const until = values.until === 'tomorrow' ? tomorrowMorning(new Date()).toISOString() : values.until;
      if (until !== undefined && Number.isNaN(Date.parse(until))) throw new UsageError(`--until ${values.until}: expected a time such as 2026-12-01T08:00:00Z or "tomorrow".`);
      const input = { mode: 'pause' as const, ...(values.for ? { forMinutes: parseDuration(values.for) } : {}), ...(until ? { until: new Date(until).toISOString() } : {}) };
      return callAndPrint(ctx, 'availability.set', input, { json: values.json, human: (r) => formatAvailability(r.status) });
    }
    if (sub === 'offline') {
      const result = await ctx.withAgent((agent) => runMethod(agent, 'availability.set', { mode: 'offline', confirm: values.yes }));
      printResult(ctx, result, {
        json: values.json,
        human: (r) =>
          r.confirmation
            ? [r.confirmation.message, ...r.confirmation.leases.map((l) => `  - ${l.description}`), 'Nothing changed. Run again with --yes to go offline.'].join('\n')
            : formatAvailability(r.status),
      });
      return result.confirmation ? 1 : 0;
    }
    throw new UsageError(`Unknown availability command ${JSON.stringify(sub)}.`, 'See `riglease availability --help`.');
  },
};
