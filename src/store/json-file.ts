import { copyFile, readFile, rename } from 'node:fs/promises';
import type { z } from 'zod';
import { RigError, formatZodError } from '../api/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** One migration turns the data of version N into version N+1. */
export type Migration = (data: unknown) => unknown;

export interface VersionedFileOptions<S extends z.ZodType> {
  file: string;
  schema: S;
  /** Current version; `migrations[i]` upgrades version i+1 to i+2. */
  version: number;
  migrations?: Migration[];
  /** Called when a file could not be read and was set aside, with where it went. */
  onCorrupt?: (file: string, keptAs: string, reason: string) => void;
  /**
   * For data that is valid JSON but has bad fields: returns the data with only those fields put
   * back to their defaults (and what was wrong with each), or null when it cannot. A copy of the
   * file as it was is kept aside and `onCorrupt` names the fields.
   */
  repair?: (data: unknown, error: z.ZodError) => { data: unknown; problems: string[] } | null;
}

interface Stored {
  version: number;
  data: unknown;
}

/**
 * A JSON file written atomically (temp file, fsync, rename), validated on read, versioned with
 * migrations. A file that does not parse is moved aside as `<name>.corrupt-<time>` and
 * reported, never silently overwritten.
 */
export class VersionedJsonFile<S extends z.ZodType> {
  constructor(private readonly opts: VersionedFileOptions<S>) {}

  /** The stored value, or `fallback` when there is no file yet (or it had to be set aside). */
  async read(fallback: () => z.output<S>): Promise<z.output<S>> {
    let text: string;
    try {
      text = await readFile(this.opts.file, 'utf8');
    } catch (err) {
      if (isNotFound(err)) return fallback();
      throw new RigError('unavailable', `Cannot read ${this.opts.file}: ${(err as Error).message}`);
    }
    try {
      const stored = JSON.parse(text) as Partial<Stored>;
      if (typeof stored !== 'object' || stored === null || typeof stored.version !== 'number') {
        throw new Error('it has no version field');
      }
      if (stored.version > this.opts.version) {
        // A newer RigLease wrote this; refusing is safer than guessing and losing fields.
        throw new RigError(
          'precondition_failed',
          `${this.opts.file} was written by a newer RigLease (format ${stored.version}, this one reads ${this.opts.version}).`,
          'Update RigLease, or move the file away to start from defaults.',
        );
      }
      let data = stored.data;
      for (let v = stored.version; v < this.opts.version; v++) {
        const migrate = this.opts.migrations?.[v - 1];
        if (!migrate) throw new Error(`no migration from version ${v}`);
        data = migrate(data);
      }
      const parsed = this.opts.schema.safeParse(data);
      if (!parsed.success) {
        const repaired = await this.tryRepair(data, parsed.error);
        if (repaired !== null) return repaired;
        throw new Error(formatZodError(parsed.error));
      }
      if (stored.version !== this.opts.version) await this.write(parsed.data);
      return parsed.data;
    } catch (err) {
      if (err instanceof RigError) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      const keptAs = `${this.opts.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      try {
        await rename(this.opts.file, keptAs);
      } catch (renameErr) {
        // Another reader of the same damaged file set it aside first; it has reported it too.
        if (isNotFound(renameErr)) return fallback();
        throw renameErr;
      }
      this.opts.onCorrupt?.(this.opts.file, keptAs, reason);
      return fallback();
    }
  }

  /** Keeps the good fields of a file with a few bad ones; the file as it was is copied aside first. */
  private async tryRepair(data: unknown, error: z.ZodError): Promise<z.output<S> | null> {
    const fix = this.opts.repair?.(data, error);
    if (!fix) return null;
    const parsed = this.opts.schema.safeParse(fix.data);
    if (!parsed.success) return null;
    const keptAs = `${this.opts.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await copyFile(this.opts.file, keptAs);
    await this.write(parsed.data);
    this.opts.onCorrupt?.(this.opts.file, keptAs, fix.problems.join('; '));
    return parsed.data;
  }

  async write(value: z.output<S>): Promise<void> {
    const checked = this.opts.schema.parse(value);
    await writeFileAtomic(this.opts.file, `${JSON.stringify({ version: this.opts.version, data: checked } satisfies Stored, null, 2)}\n`);
  }
}

export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}
