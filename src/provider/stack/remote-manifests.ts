import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { RigError } from '../../api/errors.js';
import type { StackPlan } from '../../api/schemas/stack.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { REMOTE_MANIFESTS, type RemoteManifestPin } from './images.js';
import { crdFile } from './names.js';

/** A remote manifest as written into k3s's folder: a header naming its source, then the exact upstream bytes. */
export interface FetchedManifest {
  file: string;
  component: string;
  kind: 'crd';
  hash: string;
  yaml: string;
}

/** The header line status compares (the body is the pinned bytes, so the header says it all). */
export function remoteHeader(pin: Pick<RemoteManifestPin, 'url' | 'sha256'>): string {
  return `# Written by RigLease from ${pin.url} (sha256 ${pin.sha256}). Edits are overwritten by the next "riglease stack up".\n`;
}

/** What `stack plan` lists: every pin, with the planned components it must precede. */
export function plannedRemoteManifests(components: readonly string[]): StackPlan['remoteManifests'] {
  return REMOTE_MANIFESTS.map((p) => ({ name: p.name, file: crdFile(p.name), url: p.url, sha256: p.sha256, before: p.before.filter((c) => components.includes(c)) }));
}

/** A mirror base URL (env `RIGLEASE_ARTIFACT_MIRROR`): files live at `<base>/<repo>@<ref>/<path>`, the layout of shared/upstream. */
export const ArtifactMirror = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

export interface FetchOptions {
  /** Cache folder in the data folder; a file is named by its SHA-256, so a pin bump never reads a stale copy. */
  cacheDir: string;
  /** Mirror base URL, already validated (ArtifactMirror); null = the upstream URLs. */
  mirror: string | null;
  /** Per-file download limit. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Progress for the `up` task: files done, of how many, and a sentence. */
  progress?: (done: number, total: number, message: string) => void;
  /** Injected for tests; the global fetch otherwise. */
  fetchImpl?: typeof fetch;
  pins?: readonly RemoteManifestPin[];
}

const MAX_BYTES = 8 * 1024 * 1024;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Every remote manifest, from the cache when a verified copy is there, else downloaded (from the
 * mirror when one is set), verified against its pinned SHA-256 and cached. A second `up` needs no
 * network. A changed byte is refused, never written into k3s.
 */
export async function fetchRemoteManifests(o: FetchOptions): Promise<FetchedManifest[]> {
  const pins = o.pins ?? REMOTE_MANIFESTS;
  const out: FetchedManifest[] = [];
  for (const [i, pin] of pins.entries()) {
    if (o.signal?.aborted) throw new RigError('cancelled', 'Cancelled while fetching the Kubernetes definitions.');
    const body = (await fromCache(o.cacheDir, pin)) ?? (await download(pin, o, i, pins.length));
    out.push({ file: crdFile(pin.name), component: `crd-${pin.name}`, kind: 'crd', hash: pin.sha256, yaml: remoteHeader(pin) + body.toString('utf8') });
    o.progress?.(i + 1, pins.length, `Kubernetes definitions ready: ${i + 1} of ${pins.length} (${pin.name}).`);
  }
  return out;
}

async function fromCache(dir: string, pin: RemoteManifestPin): Promise<Buffer | null> {
  const file = path.join(dir, `${pin.sha256}.yaml`);
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return null;
  }
  if (sha256(body) === pin.sha256) return body;
  // A damaged cache entry is dropped and downloaded again.
  await rm(file, { force: true });
  return null;
}

async function download(pin: RemoteManifestPin, o: FetchOptions, index: number, total: number): Promise<Buffer> {
  const url = o.mirror ? `${o.mirror}/${pin.mirrorPath}` : pin.url;
  o.progress?.(index, total, `Downloading Kubernetes definitions ${index + 1} of ${total}: ${pin.name}…`);
  const signals = [AbortSignal.timeout(o.timeoutMs), ...(o.signal ? [o.signal] : [])];
  let body: Buffer;
  try {
    const res = await (o.fetchImpl ?? fetch)(url, { signal: AbortSignal.any(signals), redirect: 'follow' });
    if (!res.ok) throw new Error(`the server answered HTTP ${res.status}`);
    const len = Number(res.headers.get('content-length') ?? '0');
    if (len > MAX_BYTES) throw new Error(`it is ${len} bytes, more than a definition file can be`);
    body = Buffer.from(await res.arrayBuffer());
    if (body.length > MAX_BYTES) throw new Error(`it is ${body.length} bytes, more than a definition file can be`);
  } catch (err) {
    if (o.signal?.aborted) throw new RigError('cancelled', 'Cancelled while fetching the Kubernetes definitions.');
    const why = err instanceof Error ? (err.name === 'TimeoutError' ? `no answer within ${Math.round(o.timeoutMs / 1000)} s` : causeOf(err)) : String(err);
    throw new RigError(
      'unavailable',
      `Could not download the Kubernetes definitions "${pin.name}" from ${url}: ${why}.`,
      `This computer needs the internet once to fetch ${total} definition files the provider needs; later starts use the copies kept in ${o.cacheDir}. Connect to the internet and Start providing again${o.mirror ? ', or check the mirror set in RIGLEASE_ARTIFACT_MIRROR' : ', or set RIGLEASE_ARTIFACT_MIRROR to a server that holds them'}.`,
      { cause: err },
    );
  }
  const got = sha256(body);
  if (got !== pin.sha256) {
    throw new RigError(
      'unavailable',
      `The file downloaded for "${pin.name}" from ${url} is not the one RigLease expects (SHA-256 ${got}, expected ${pin.sha256}), so it was not installed.`,
      `Something on the way changed it (a proxy, or the mirror${o.mirror ? ' in RIGLEASE_ARTIFACT_MIRROR' : ''}). Check your connection${o.mirror ? ' and that mirror' : ''}, then Start providing again.`,
    );
  }
  await writeFileAtomic(path.join(o.cacheDir, `${pin.sha256}.yaml`), body, { mode: 0o644 });
  return body;
}

/** Node's fetch says "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function causeOf(err: Error): string {
  const c = (err as { cause?: unknown }).cause;
  if (c instanceof Error) return `${err.message} (${(c as { code?: string }).code ?? c.message})`;
  return err.message;
}
