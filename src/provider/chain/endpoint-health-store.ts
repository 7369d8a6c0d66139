import path from 'node:path';
import { z } from 'zod';
import { VersionedJsonFile } from '../../store/json-file.js';
import type { Logger } from '../../util/logger.js';

/** One RPC endpoint's health as remembered across restarts (public facts only). */
export const PersistedEndpoint = z
  .object({
    url: z.string(),
    healthy: z.boolean().nullable(),
    lastError: z.string().nullable(),
    lastOkAt: z.string().nullable(),
    failures: z.number().int().min(0),
    chainId: z.string().nullable(),
    /** ms since epoch of the last failure (0 = never): failed endpoints are tried least-recent first. */
    failedAt: z.number().int().min(0),
  })
  .strict();
export type PersistedEndpoint = z.infer<typeof PersistedEndpoint>;

const EndpointsFile = z.object({ endpoints: z.array(PersistedEndpoint) }).strict();

/** A failure older than this is forgotten at start-up: the node may well be back. */
export const FAILURE_MEMORY_MS = 60 * 60_000;
/** Endpoints of every network and custom node ever used, newest first; older ones drop off. */
const MAX_ENTRIES = 64;

/**
 * `state/chain-endpoints.json`: which RPC endpoints answered and which failed, so a restarted
 * app starts with the healthy node instead of waiting out a dead one's timeout again. Writes
 * are atomic, serialised and merged by URL (other networks' entries are kept).
 */
export class EndpointHealthStore {
  private readonly file;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(stateDir: string, private readonly logger: Logger, private readonly now: () => number = Date.now) {
    this.file = new VersionedJsonFile({
      file: path.join(stateDir, 'chain-endpoints.json'),
      schema: EndpointsFile,
      version: 1,
      onCorrupt: (file, keptAs, reason) => logger.warn('endpoint health file could not be read; kept aside', { file, keptAs, reason }),
    });
  }

  /** What is remembered, by URL; failures older than FAILURE_MEMORY_MS come back as untried. */
  async load(): Promise<Map<string, PersistedEndpoint>> {
    const data = await this.file.read(() => ({ endpoints: [] })).catch((err: unknown) => {
      this.logger.warn('endpoint health file unreadable; starting without it', { err: String(err) });
      return { endpoints: [] };
    });
    const out = new Map<string, PersistedEndpoint>();
    for (const e of data.endpoints) {
      const stale = e.healthy === false && this.now() - e.failedAt > FAILURE_MEMORY_MS;
      out.set(e.url, stale ? { ...e, healthy: null } : e);
    }
    return out;
  }

  /** Resolves when every save asked for so far is on disk (tests, quit). */
  flush(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Merges these endpoints into the file (in the background; a failed write is logged, never thrown). */
  save(entries: PersistedEndpoint[]): Promise<void> {
    const run = async () => {
      const current = await this.file.read(() => ({ endpoints: [] }));
      const urls = new Set(entries.map((e) => e.url));
      const merged = [...entries, ...current.endpoints.filter((e) => !urls.has(e.url))].slice(0, MAX_ENTRIES);
      await this.file.write({ endpoints: merged });
    };
    const next = this.queue.then(run, run).catch((err: unknown) => this.logger.warn('endpoint health not saved', { err: String(err) }));
    this.queue = next;
    return next;
  }
}
