import type { DiagnosticCheck, DiagnosticStatus, DiagnosticsReport } from '../../api/schemas/diagnostics.js';

/** What one check says about itself; the registry adds the id, area and links. */
export interface CheckOutcome {
  status: DiagnosticStatus;
  why: string;
  fix?: string | null;
}

/**
 * A source of diagnostic checks. Most sources yield one check (`singleCheck`); some, like the
 * hardware readiness scan, yield several. Sources run in parallel and never see each other.
 */
export interface DiagnosticSource {
  id: string;
  area: string;
  /** Shown when the source itself could not run (threw or timed out). */
  what: string;
  run(signal: AbortSignal): Promise<DiagnosticCheck[]>;
}

export interface SingleCheckSpec {
  id: string;
  area: string;
  what: string;
  docsUrl?: string | null;
  run(signal: AbortSignal): Promise<CheckOutcome>;
}

/** One check from one function: `registry.add(singleCheck({ id, area, what, run }))`. */
export function singleCheck(spec: SingleCheckSpec): DiagnosticSource {
  return {
    id: spec.id,
    area: spec.area,
    what: spec.what,
    run: async (signal) => {
      const o = await spec.run(signal);
      return [{ id: spec.id, area: spec.area, what: spec.what, status: o.status, why: o.why, fix: o.fix ?? null, docsUrl: spec.docsUrl ?? null }];
    },
  };
}

const RANK: Record<DiagnosticStatus, number> = { fail: 0, warn: 1, ok: 2 };

export function worstOf(statuses: readonly DiagnosticStatus[]): DiagnosticStatus {
  return statuses.reduce<DiagnosticStatus>((worst, s) => (RANK[s] < RANK[worst] ? s : worst), 'ok');
}

/** Each source gets this long; a hung Docker engine must not hold the whole page. */
const SOURCE_TIMEOUT_MS = 8_000;

/**
 * The list of diagnostic checks. The agent registers the core ones; another domain adds its own
 * with one line (`agent.diagnostics.registry.add(singleCheck({...}))`). A source that throws or
 * times out becomes one `fail` check saying so: one broken check never hides the others.
 */
export class DiagnosticsRegistry {
  private readonly sources: DiagnosticSource[] = [];

  constructor(private readonly timeoutMs = SOURCE_TIMEOUT_MS) {}

  add(source: DiagnosticSource): this {
    if (this.sources.some((s) => s.id === source.id)) throw new Error(`diagnostic source ${source.id} is registered twice`);
    this.sources.push(source);
    return this;
  }

  ids(): string[] {
    return this.sources.map((s) => s.id);
  }

  async run(now: () => Date = () => new Date()): Promise<DiagnosticsReport> {
    const started = performance.now();
    const results = await Promise.all(this.sources.map((s) => this.runOne(s)));
    const checks = results.flat();
    return {
      checkedAt: now().toISOString(),
      durationMs: Math.round(performance.now() - started),
      overall: worstOf(checks.map((c) => c.status)),
      checks,
    };
  }

  private async runOne(source: DiagnosticSource): Promise<DiagnosticCheck[]> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`it did not answer within ${Math.round(this.timeoutMs / 1000)} s`));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([source.run(controller.signal), timeout]);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      return [
        {
          id: source.id,
          area: source.area,
          what: source.what,
          status: 'fail',
          why: `This check could not run: ${reason}`,
          fix: 'Press "Check again"; if it keeps failing, export diagnostics and attach the zip to a bug report.',
          docsUrl: null,
        },
      ];
    } finally {
      clearTimeout(timer);
    }
  }
}
