import { appendFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { BenchRun } from '../../api/schemas/bench.js';

const MAX_BYTES = 1024 * 1024;
const KEEP = 3;

/**
 * Benchmark history: one JSON line per run in `<historyDir>/bench.jsonl`, appended, never
 * rewritten. Past 1 MiB the file is rotated (`bench.1.jsonl` … `bench.3.jsonl`, oldest
 * dropped). A line that does not validate is skipped on read, not fatal.
 */
export class BenchHistoryFile {
  readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();
  /** Lines skipped by the last read because they did not validate. */
  skipped = 0;

  constructor(historyDir: string, private readonly maxBytes = MAX_BYTES) {
    this.file = path.join(historyDir, 'bench.jsonl');
  }

  append(run: BenchRun): Promise<void> {
    const line = `${JSON.stringify(BenchRun.parse(run))}\n`;
    const work = async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      const size = await stat(this.file).then((s) => s.size, () => 0);
      if (size > 0 && size + line.length > this.maxBytes) await this.rotate();
      await appendFile(this.file, line, { mode: 0o600 });
    };
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Newest first, across the rotated files. */
  async read(limit: number): Promise<BenchRun[]> {
    const runs: BenchRun[] = [];
    this.skipped = 0;
    for (const file of [this.file, ...Array.from({ length: KEEP }, (_, i) => this.rotated(i + 1))]) {
      const text = await readFile(file, 'utf8').catch(() => '');
      const lines = text.split('\n').filter((l) => l.trim() !== '').reverse();
      for (const line of lines) {
        const parsed = safeJson(line);
        const ok = parsed === undefined ? null : BenchRun.safeParse(parsed);
        if (ok?.success) runs.push(ok.data);
        else this.skipped++;
        if (runs.length >= limit) return runs;
      }
    }
    return runs;
  }

  private rotated(i: number): string {
    return this.file.replace(/\.jsonl$/, `.${i}.jsonl`);
  }

  private async rotate(): Promise<void> {
    for (let i = KEEP - 1; i >= 1; i--) await rename(this.rotated(i), this.rotated(i + 1)).catch(() => undefined);
    await rename(this.file, this.rotated(1)).catch(() => undefined);
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

export interface CurrentHardware {
  driverVersion: string | null;
  gpus: Array<{ uuid: string | null; name: string }>;
}

/** Pure: a re-run is suggested when nothing was measured yet, or the driver or the GPU set changed since. */
export function rerunAdvice(last: BenchRun | null, now: CurrentHardware | null): { suggested: boolean; reasons: string[] } {
  if (!last) return { suggested: true, reasons: ['No benchmark has been run on this machine yet.'] };
  if (!now) return { suggested: false, reasons: [] };
  const reasons: string[] = [];
  if (last.driverVersion && now.driverVersion && last.driverVersion !== now.driverVersion) {
    reasons.push(`The NVIDIA driver changed from ${last.driverVersion} to ${now.driverVersion} since the last benchmark.`);
  }
  const key = (g: { uuid: string | null; name: string }) => g.uuid ?? g.name;
  const before = new Map(last.gpus.map((g) => [key(g), g.name]));
  const after = new Map(now.gpus.map((g) => [key(g), g.name]));
  const added = [...after].filter(([k]) => !before.has(k)).map(([, n]) => n);
  const removed = [...before].filter(([k]) => !after.has(k)).map(([, n]) => n);
  if (added.length) reasons.push(`GPU added since the last benchmark: ${added.join(', ')}.`);
  if (removed.length) reasons.push(`GPU no longer present since the last benchmark: ${removed.join(', ')}.`);
  return { suggested: reasons.length > 0, reasons };
}
