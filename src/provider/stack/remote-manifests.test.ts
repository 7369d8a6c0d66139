import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { serveDir, UPSTREAM_DIR, upstreamPresent, type DirServer } from '../../../test/stack/upstream-mirror.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { REMOTE_MANIFESTS } from './images.js';
import { plan } from './plan.js';
import { fetchRemoteManifests, remoteHeader } from './remote-manifests.js';
import { withRemoteManifests } from './remote-manifests-up.js';

const d = upstreamPresent() ? describe : describe.skip;
if (!upstreamPresent()) console.warn(`remote manifest tests skipped: no ${UPSTREAM_DIR}`);

const akash = REMOTE_MANIFESTS.find((p) => p.name === 'akash')!;
const tmp = () => mkdtemp(path.join(os.tmpdir(), 'riglease-crd-cache-'));
const noProgress = { percent: () => undefined, log: () => undefined, signal: new AbortController().signal };

async function thrown(p: Promise<unknown>): Promise<RigError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RigError);
    return err as RigError;
  }
  throw new Error('expected a RigError');
}

d('remote CRD manifests (pinned URL + SHA-256, fetched at up, cached)', () => {
  let mirror: DirServer;
  const dirs: string[] = [];
  beforeAll(async () => {
    mirror = await serveDir(UPSTREAM_DIR);
  });
  afterAll(async () => {
    await mirror.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const cache = async () => {
    const dir = await tmp();
    dirs.push(dir);
    return dir;
  };

  it('every pin matches the unmodified upstream copy byte for byte, and is written with a header naming its source', async () => {
    const cacheDir = await cache();
    const got = await fetchRemoteManifests({ cacheDir, mirror: mirror.url, timeoutMs: 10_000 });
    expect(got).toHaveLength(REMOTE_MANIFESTS.length);
    for (const [i, pin] of REMOTE_MANIFESTS.entries()) {
      const upstream = await readFile(path.join(UPSTREAM_DIR, pin.mirrorPath), 'utf8');
      expect(got[i]!.yaml).toBe(remoteHeader(pin) + upstream);
      expect(got[i]!.file).toBe(`riglease-1-crd-${pin.name}.yaml`);
    }
    expect((await readdir(cacheDir)).sort()).toEqual(REMOTE_MANIFESTS.map((p) => `${p.sha256}.yaml`).sort());
  });

  it('refuses a download with one byte changed, and caches nothing', async () => {
    const body = await readFile(path.join(UPSTREAM_DIR, akash.mirrorPath));
    const tampered = Buffer.from(body);
    tampered[tampered.length - 2] = tampered[tampered.length - 2]! ^ 0x01;
    const evil = await serveDir(UPSTREAM_DIR, { override: new Map([[akash.mirrorPath, tampered]]) });
    const cacheDir = await cache();
    try {
      const err = await thrown(fetchRemoteManifests({ cacheDir, mirror: evil.url, timeoutMs: 10_000, pins: [akash] }));
      expect(err.code).toBe('unavailable');
      expect(err.message).toMatch(/not the one RigLease expects/);
      expect(err.message).toContain(akash.sha256);
      expect(err.fix).toMatch(/RIGLEASE_ARTIFACT_MIRROR/);
      expect(await readdir(cacheDir)).toEqual([]);
    } finally {
      await evil.close();
    }
  });

  it('a second up needs no network: the verified copy comes from the cache', async () => {
    const cacheDir = await cache();
    const once = await serveDir(UPSTREAM_DIR);
    const first = await fetchRemoteManifests({ cacheDir, mirror: once.url, timeoutMs: 10_000, pins: [akash] });
    expect(once.requests).toEqual([akash.mirrorPath]);
    await once.close();
    // Offline now: the mirror is gone, and no fetch may happen at all.
    const offline: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    const second = await fetchRemoteManifests({ cacheDir, mirror: once.url, timeoutMs: 2_000, pins: [akash], fetchImpl: offline });
    expect(second).toEqual(first);
  });

  it('offline without a cached copy: says what to do, and where the copies will be kept', async () => {
    const cacheDir = await cache();
    const gone = await serveDir(UPSTREAM_DIR);
    await gone.close();
    const err = await thrown(fetchRemoteManifests({ cacheDir, mirror: gone.url, timeoutMs: 2_000, pins: [akash] }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain(`${gone.url}/${akash.mirrorPath}`);
    expect(err.fix).toMatch(/internet once/);
    expect(err.fix).toContain(cacheDir);
  });

  it('a damaged cache entry is dropped and fetched again; an HTTP error names the status', async () => {
    const cacheDir = await cache();
    await writeFile(path.join(cacheDir, `${akash.sha256}.yaml`), 'damaged');
    const [m] = await fetchRemoteManifests({ cacheDir, mirror: mirror.url, timeoutMs: 10_000, pins: [akash] });
    expect(m!.yaml).toContain('kind: CustomResourceDefinition');
    const missing = await serveDir(UPSTREAM_DIR, { status: new Map([[akash.mirrorPath, 404]]) });
    try {
      const err = await thrown(fetchRemoteManifests({ cacheDir: await cache(), mirror: missing.url, timeoutMs: 10_000, pins: [akash] }));
      expect(err.message).toMatch(/HTTP 404/);
    } finally {
      await missing.close();
    }
  });

  it('up writes the CRDs with the plan, in file-name order; a bad mirror setting is refused', async () => {
    const p = plan({
      settings: StackSettings.parse({ domain: 'example.org', email: 'ops@example.org' }),
      hardware: { gpus: fixtureGpus('rtx4090_535.86.05_1gpu.xml') },
      secrets: { walletAddress: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', walletKeyPresent: true },
      pricing: { script: null, env: {} },
    });
    const full = await withRemoteManifests(p, { cacheDir: await cache(), mirror: `${mirror.url}/` }, noProgress);
    expect(full.manifests.map((m) => m.file)).toEqual(p.applyOrder.map((a) => a.file));
    const err = await thrown(withRemoteManifests(p, { cacheDir: await cache(), mirror: 'ftp://mirror' }, noProgress));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('RIGLEASE_ARTIFACT_MIRROR');
  });
});
