import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serveDir, upstreamPresent, UPSTREAM_DIR } from './stack/upstream-mirror.js';

/**
 * Every test process gets RIGLEASE_ARTIFACT_MIRROR = a local server of shared/upstream, so a
 * stack `up` anywhere in the suite (agent, CLI, e2e server started from a test) fetches the pinned
 * CRDs from 127.0.0.1 and never from the internet. Workers inherit the environment set here.
 *
 * They also get a temporary folder of the run's own (TMPDIR, which os.tmpdir() reads on each
 * call), removed when the run ends: test files make their data folders with mkdtemp and many
 * leave them behind, which on a developer's machine grew /tmp by some seventy folders a run.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // The outside services the app asks by itself (the public-address service, the DNS resolver
  // used to verify records) point at loopback's discard port: no test sends a packet off this machine.
  process.env['RIGLEASE_PUBLIC_IP_URL'] ??= 'http://127.0.0.1:9/';
  process.env['RIGLEASE_DNS_RESOLVER'] ??= '127.0.0.1:9';
  const removeRunTemp = useRunTempDir();
  if (!upstreamPresent() || process.env['RIGLEASE_ARTIFACT_MIRROR']) return async () => removeRunTemp();
  const mirror = await serveDir(UPSTREAM_DIR);
  process.env['RIGLEASE_ARTIFACT_MIRROR'] = mirror.url;
  return async () => {
    await mirror.close();
    removeRunTemp();
  };
}

/** Points TMPDIR at a fresh folder; the returned function removes it and restores TMPDIR. */
function useRunTempDir(): () => void {
  const previous = process.env['TMPDIR'];
  // Short on purpose: some tests bind unix sockets below it, and their paths are limited to 108 bytes.
  const dir = mkdtempSync(path.join(tmpdir(), 'rl-run-'));
  process.env['TMPDIR'] = dir;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    // A process a test started may still be closing a file in it: retry rather than leave it.
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
}
