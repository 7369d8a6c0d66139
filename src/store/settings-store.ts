import { RigError, formatZodError } from '../api/errors.js';
import { Settings } from '../api/schemas/settings.js';
import { stat } from 'node:fs/promises';
import { withFileLock } from './file-lock.js';
import { VersionedJsonFile, isNotFound } from './json-file.js';
import { repairSettings } from './settings-repair.js';
import { splitDottedPath } from '../util/dotted-path.js';
import { SETTINGS_MIGRATIONS, SETTINGS_VERSION } from './settings-migrations.js';

/**
 * Settings on disk. Reads and writes go through the one `Settings` schema, so the UI, the CLI
 * and the file can never disagree about what is valid. Several processes share the file (the
 * serving agent and CLI commands), so every change takes a lock and starts from the file as it
 * is now, and a read notices when another process changed it. A bad field falls back to its
 * default alone; the file as it was is kept aside and the field is reported.
 *
 * Every write through this store calls `onChange` once with the settings as written, so whoever
 * listens (the hub's `settings.changed`) hears every change, whichever handler made it.
 */
export class SettingsStore {
  private readonly file: VersionedJsonFile<typeof Settings>;
  private cached: Settings | null = null;
  private loading: Promise<Settings> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Identity of the file the cache was read from (inode, size, mtime): a rename by another process changes it. */
  private stamp: string | null = null;
  private readonly problemList: string[] = [];

  constructor(
    private readonly settingsFile: string,
    onCorrupt?: (file: string, keptAs: string, reason: string) => void,
    private readonly onChange?: (next: Settings) => void,
  ) {
    this.file = new VersionedJsonFile({
      file: settingsFile,
      schema: Settings,
      version: SETTINGS_VERSION,
      migrations: SETTINGS_MIGRATIONS,
      repair: repairSettings,
      onCorrupt: (file, keptAs, reason) => {
        this.problemList.push(`${reason} (the file as it was is kept as ${keptAs})`);
        onCorrupt?.(file, keptAs, reason);
      },
    });
  }

  /** What was wrong with the file when it was read (fields reset, or the whole file set aside), for the person to see. */
  problems(): string[] {
    return [...this.problemList];
  }

  async all(): Promise<Settings> {
    // One read shared by concurrent first callers: two reads of a damaged file would both try to set it aside.
    if (this.cached && (await this.fileStamp()) === this.stamp) return structuredClone(this.cached);
    this.loading ??= (async () => {
      const value = await this.file.read(() => Settings.parse({}));
      this.stamp = await this.fileStamp();
      return value;
    })().finally(() => {
      this.loading = null;
    });
    this.cached = await this.loading;
    return structuredClone(this.cached);
  }

  async get(key: string): Promise<unknown> {
    const settings = await this.all();
    const found = lookup(settings, key);
    if (!found.exists) throw new RigError('not_found', `There is no setting called ${key}.`, `Run \`riglease settings get\` to list them.`);
    return found.value;
  }

  /**
   * Changes one setting; the whole result must validate or nothing is written. `guard` sees the
   * current and the validated next settings inside the lock and may refuse by throwing.
   */
  async set(key: string, value: unknown, guard?: (current: Settings, next: Settings) => void): Promise<Settings> {
    return this.setMany([{ key, value }], guard);
  }

  /**
   * Changes several settings together, applied in order: the result is validated as a whole and
   * written once, or, when any change is refused, nothing is written.
   */
  async setMany(changes: readonly { key: string; value: unknown }[], guard?: (current: Settings, next: Settings) => void): Promise<Settings> {
    return this.locked(async () => {
      const current = await this.all();
      let next: unknown = current;
      for (const { key, value } of changes) {
        // Checked against the changes so far: an earlier one may have replaced the section above it.
        if (!lookup(next, key).exists) {
          throw new RigError('not_found', `There is no setting called ${key}.`, `Run \`riglease settings get\` to list them.`);
        }
        next = assign(next, key, value);
      }
      const parsed = Settings.safeParse(next);
      // The schema's message already names the setting by its dotted path.
      if (!parsed.success) throw new RigError('invalid_input', formatZodError(parsed.error));
      guard?.(current, parsed.data);
      await this.save(parsed.data);
      return structuredClone(parsed.data);
    });
  }

  /** Replaces a whole section at once (for screens that edit several fields together). */
  async update(mutate: (draft: Settings) => void): Promise<Settings> {
    return this.locked(async () => {
      const draft = await this.all();
      mutate(draft);
      const parsed = Settings.safeParse(draft);
      if (!parsed.success) throw new RigError('invalid_input', formatZodError(parsed.error));
      await this.save(parsed.data);
      return structuredClone(parsed.data);
    });
  }

  private async save(value: Settings): Promise<void> {
    await this.file.write(value);
    this.cached = value;
    this.stamp = await this.fileStamp();
    this.onChange?.(structuredClone(value));
  }

  /** One change at a time in this process, and across processes through the file lock; each starts from the file on disk. */
  private locked<T>(work: () => Promise<T>): Promise<T> {
    return this.serialized(() =>
      withFileLock(this.settingsFile, async () => {
        this.cached = null;
        return work();
      }),
    );
  }

  private async fileStamp(): Promise<string> {
    try {
      const s = await stat(this.settingsFile, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch (err) {
      if (isNotFound(err)) return 'none';
      throw err;
    }
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function lookup(root: unknown, key: string): { exists: boolean; value: unknown } {
  let node: unknown = root;
  for (const part of splitDottedPath(key)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return { exists: false, value: undefined };
    node = (node as Record<string, unknown>)[part];
  }
  return { exists: true, value: node };
}

function assign(root: unknown, key: string, value: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  const parts = splitDottedPath(key);
  let node = copy;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1]!] = value;
  return copy;
}
