import { appendFile, mkdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const HistoryEntry = z.object({
  at: z.string(),
  from: z.string(),
  to: z.string(),
  bidding: z.boolean(),
  reason: z.string(),
  /** False when the user asked for it; true for gaming, schedules, timed pauses running out. */
  automatic: z.boolean(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

const MAX_BYTES = 512 * 1024;
const KEEP = 3;

/** Append-only JSON lines with rotation (`file.1` … `file.3`); lines that do not parse are skipped on read. */
export class AvailabilityHistory {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  append(entry: HistoryEntry): Promise<void> {
    const line = `${JSON.stringify(HistoryEntry.parse(entry))}\n`;
    const work = async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      const size = await stat(this.file).then((s) => s.size, () => 0);
      if (size + line.length > MAX_BYTES) await this.rotate();
      await appendFile(this.file, line, { mode: 0o600 });
    };
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Newest first, at most `limit`, reading rotated files only when needed. */
  async read(limit: number): Promise<HistoryEntry[]> {
    await this.queue;
    const out: HistoryEntry[] = [];
    for (const file of [this.file, ...Array.from({ length: KEEP }, (_, i) => `${this.file}.${i + 1}`)]) {
      const text = await readFile(file, 'utf8').catch(() => '');
      const lines = text.split('\n').filter(Boolean).reverse();
      for (const l of lines) {
        try {
          const parsed = HistoryEntry.safeParse(JSON.parse(l));
          if (parsed.success) out.push(parsed.data);
        } catch {
          // A torn last line after a crash is skipped, not fatal.
        }
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  private async rotate(): Promise<void> {
    for (let i = KEEP - 1; i >= 1; i--) await rename(`${this.file}.${i}`, `${this.file}.${i + 1}`).catch(() => undefined);
    await rename(this.file, `${this.file}.1`).catch(() => undefined);
  }
}
