import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTar } from '../../src/provider/stack/tar.js';
import { testDockerEngine } from '../docker/engine.js';

/**
 * scripts/pin-digests.mjs against a real registry (CNCF distribution, Debian's docker-registry):
 * the test engine pushes an image, and the digest the script writes must be the one Docker
 * recorded for the push (RepoDigests). The registry the script reads demands token auth, served
 * by a token issuer here that signs with a certificate the registry trusts (the Docker Hub /
 * ghcr.io flow); a second registry process on the same storage takes the pushes without auth.
 */
const REGISTRY = '/usr/bin/docker-registry';
const SCRIPT = path.join(import.meta.dirname, '..', '..', 'scripts', 'pin-digests.mjs');
const PINS = path.join(import.meta.dirname, '..', '..', 'src', 'provider', 'stack', 'images.ts');
const run = promisify(execFile);

const engine = await testDockerEngine();
const haveOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();
const why = !existsSync(REGISTRY) ? `${REGISTRY} is missing (apt-get install docker-registry)` : !engine.ok ? engine.reason : !haveOpenssl ? 'openssl is missing' : null;
if (why) console.warn(`pin-digests tests skipped: ${why}`);
const d = why ? describe.skip : describe;

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

d('scripts/pin-digests.mjs against a real registry', () => {
  let dir: string;
  let docker: Docker;
  const children: ChildProcess[] = [];
  const servers: http.Server[] = [];
  const scopes: string[] = [];
  let pushPort: number;
  let authPort: number;
  let chartPort: number;
  let pushed: string;
  const chartArchive = gzipSync(makeTar([{ name: 'provider/Chart.yaml', body: Buffer.from('apiVersion: v2\nname: provider\nversion: 19.0.2\n') }]));
  let chartIndexDigest = createHash('sha256').update(chartArchive).digest('hex');
  let ociChartDigest: string;
  let platformDigest: string;
  let indexDigest: string;
  const tagged: string[] = [];

  beforeAll(async () => {
    if (!engine.ok) return;
    docker = engine.docker;
    dir = mkdtempSync(path.join(os.tmpdir(), 'riglease-pin-digests-'));
    [pushPort, authPort, chartPort] = [await freePort(), await freePort(), await freePort()];
    const tokenPort = await freePort();

    // The token issuer's certificate, which the registry trusts for the tokens it accepts.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=pin-test-token'], { stdio: 'ignore' });
    const der = execFileSync('openssl', ['x509', '-in', path.join(dir, 'cert.pem'), '-outform', 'DER']);
    const key = readFileSync(path.join(dir, 'key.pem'));
    const tokens = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const scope = url.searchParams.get('scope') ?? '';
      scopes.push(scope);
      const [, name, actions] = scope.split(':');
      const now = Math.floor(Date.now() / 1000);
      const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [der.toString('base64')] }));
      const claims = b64url(JSON.stringify({ iss: 'pin-test-issuer', sub: '', aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access: name ? [{ type: 'repository', name, actions: (actions ?? '').split(',') }] : [] }));
      const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${header}.${claims}.${b64url(signature)}` }));
    });
    servers.push(tokens);
    await new Promise<void>((r) => tokens.listen(tokenPort, '127.0.0.1', () => r()));

    const storage = `storage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'storage')}\n`;
    writeFileSync(path.join(dir, 'push.yml'), `version: 0.1\nlog:\n  level: error\n${storage}http:\n  addr: 127.0.0.1:${pushPort}\n`);
    writeFileSync(
      path.join(dir, 'auth.yml'),
      `version: 0.1\nlog:\n  level: error\n${storage}http:\n  addr: 127.0.0.1:${authPort}\nauth:\n  token:\n    realm: http://127.0.0.1:${tokenPort}/token\n    service: pin-test\n    issuer: pin-test-issuer\n    rootcertbundle: ${path.join(dir, 'cert.pem')}\n`,
    );
    for (const cfg of ['push.yml', 'auth.yml']) children.push(spawn(REGISTRY, ['serve', path.join(dir, cfg)], { stdio: 'ignore' }));
    for (const port of [pushPort, authPort]) {
      for (let i = 0; ; i++) {
        const ok = await fetch(`http://127.0.0.1:${port}/v2/`).then((r) => r.status === 200 || r.status === 401, () => false);
        if (ok) break;
        if (i > 100) throw new Error(`the registry on ${port} did not start`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    // An image of one file, imported and pushed by the test engine under the name the pin has.
    pushed = `127.0.0.1:${pushPort}/akash-network/provider:0.16.2`;
    const imported = await docker.importImage(Readable.from(makeTar([{ name: 'hello.txt', body: Buffer.from(`pin-digests ${Date.now()}\n`) }])) as unknown as string, { repo: `127.0.0.1:${pushPort}/akash-network/provider`, tag: '0.16.2' });
    await new Promise((resolve, reject) => docker.modem.followProgress(imported, (err) => (err ? reject(err) : resolve(null))));
    // The push registry has no auth; the engine still wants an (empty) X-Registry-Auth header.
    const push = await docker.getImage(pushed).push({ authconfig: { serveraddress: `127.0.0.1:${pushPort}` } });
    const events = await new Promise<{ error?: string }[]>((resolve, reject) => docker.modem.followProgress(push, (err, out) => (err ? reject(err) : resolve(out as { error?: string }[]))));
    const failed = events.find((e) => e.error);
    if (failed) throw new Error(`docker push failed: ${failed.error}`);

    // A multi-architecture tag: an OCI index over that image's manifest, in the repository of
    // another pin. The pin must be the index's digest (every platform), not the one manifest's.
    const platformRef = `127.0.0.1:${pushPort}/nginx/nginx-gateway-fabric:linux-amd64`;
    await docker.getImage(pushed).tag({ repo: `127.0.0.1:${pushPort}/nginx/nginx-gateway-fabric`, tag: 'linux-amd64' });
    const pushPlatform = await docker.getImage(platformRef).push({ authconfig: { serveraddress: `127.0.0.1:${pushPort}` } });
    await new Promise((resolve, reject) => docker.modem.followProgress(pushPlatform, (err) => (err ? reject(err) : resolve(null))));
    tagged.push(platformRef);
    const platform = await fetch(`http://127.0.0.1:${pushPort}/v2/nginx/nginx-gateway-fabric/manifests/linux-amd64`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
    const platformBytes = Buffer.from(await platform.arrayBuffer());
    platformDigest = platform.headers.get('docker-content-digest')!;
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: platformDigest, size: platformBytes.length, platform: { architecture: 'amd64', os: 'linux' } }],
    };
    const putIndex = await fetch(`http://127.0.0.1:${pushPort}/v2/nginx/nginx-gateway-fabric/manifests/2.5.1`, { method: 'PUT', body: JSON.stringify(index), headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' } });
    if (putIndex.status !== 201) throw new Error(`index upload: HTTP ${putIndex.status} ${await putIndex.text()}`);
    indexDigest = putIndex.headers.get('docker-content-digest')!;

    // A Helm chart in an OCI registry: config + the archive as a layer, pushed with the registry API.
    const blob = async (repo: string, body: Buffer): Promise<{ digest: string; size: number }> => {
      const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      const start = await fetch(`http://127.0.0.1:${pushPort}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
      const location = new URL(start.headers.get('location')!, `http://127.0.0.1:${pushPort}`);
      location.searchParams.set('digest', digest);
      const put = await fetch(location, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': 'application/octet-stream' } });
      if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status}`);
      return { digest, size: body.length };
    };
    const repo = 'nginx/charts/nginx-gateway-fabric';
    const config = await blob(repo, Buffer.from('{"name":"nginx-gateway-fabric","version":"2.5.1"}'));
    const layer = await blob(repo, chartArchive);
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', ...layer }],
    };
    const put = await fetch(`http://127.0.0.1:${pushPort}/v2/${repo}/manifests/2.5.1`, { method: 'PUT', body: JSON.stringify(manifest), headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    if (put.status !== 201) throw new Error(`manifest upload: HTTP ${put.status}`);
    ociChartDigest = put.headers.get('docker-content-digest')!;

    // A chart repository is plain HTTP: index.yaml and the archives it names.
    const charts = http.createServer((req, res) => {
      if (req.url === '/index.yaml') {
        res.writeHead(200).end(`apiVersion: v1\nentries:\n  provider:\n    - name: provider\n      version: 19.0.2\n      digest: ${chartIndexDigest}\n      urls:\n        - provider-19.0.2.tgz\n`);
      } else if (req.url === '/provider-19.0.2.tgz') {
        res.writeHead(200).end(chartArchive);
      } else {
        res.writeHead(404).end();
      }
    });
    servers.push(charts);
    await new Promise<void>((r) => charts.listen(chartPort, '127.0.0.1', () => r()));
  }, 120_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    for (const s of servers) s.close();
    for (const ref of tagged) await docker?.getImage(ref).remove({ force: true }).catch(() => undefined);
    await docker?.getImage(pushed).remove({ force: true }).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const pinDigests = (file: string) =>
    run(process.execPath, [
      SCRIPT,
      '--file', file,
      '--only', 'images.provider,images.gatewayController,charts.provider,charts.nginxGatewayFabric,images.k3s',
      '--registry', `ghcr.io=http://127.0.0.1:${authPort}`,
      '--chart-repo', `https://akash-network.github.io/helm-charts=http://127.0.0.1:${chartPort}`,
    ]).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('writes the digest the registry recorded for the push, through its token auth, and each chart\'s sha256', async () => {
    const [oracle] = (await docker.getImage(pushed).inspect()).RepoDigests;
    expect(oracle).toMatch(new RegExp(`^127\\.0\\.0\\.1:${pushPort}/akash-network/provider@sha256:[0-9a-f]{64}$`));
    const digest = oracle!.split('@')[1]!;

    const file = path.join(dir, 'images.ts');
    copyFileSync(PINS, file);
    const before = readFileSync(file, 'utf8');
    const out = await pinDigests(file);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('images.k3s: skipped (built by RigLease');
    // The registry would not answer without a token: the script asked the issuer for exactly this repository.
    expect(scopes).toContain('repository:akash-network/provider:pull');

    const pins = (await import(file)) as typeof import('../../src/provider/stack/images.js');
    expect(pins.IMAGES.provider.ref).toBe(`ghcr.io/akash-network/provider:0.16.2@${digest}`);
    expect(pins.IMAGES.provider.digestSource).toMatch(/^registry ghcr\.io: manifest digest of tag 0\.16\.2 \(application\/vnd\.docker\.distribution\.manifest\.v2\+json\), read \d{4}-\d{2}-\d{2}/);
    expect(pins.splitImageRef(pins.IMAGES.provider.ref)).toEqual({ repository: 'ghcr.io/akash-network/provider', tag: '0.16.2', digest });
    // A tag that names an index is pinned by the index: every platform, not the one manifest.
    expect(indexDigest).not.toBe(platformDigest);
    expect(pins.IMAGES.gatewayController.ref).toBe(`ghcr.io/nginx/nginx-gateway-fabric:2.5.1@${indexDigest}`);
    expect(pins.IMAGES.gatewayController.digestSource).toContain('(application/vnd.oci.image.index.v1+json)');
    expect((pins.CHARTS.provider as { digest?: string }).digest).toBe(`sha256:${createHash('sha256').update(chartArchive).digest('hex')}`);
    expect((pins.CHARTS.nginxGatewayFabric as { digest?: string }).digest).toBe(ociChartDigest);
    // Nothing it was not asked to touch changed.
    const untouched = (t: string) => t.replace(/\n {2}(provider|gatewayController|nginxGatewayFabric): \{\n[\s\S]*?\n {2}\},/g, '');
    expect(untouched(readFileSync(file, 'utf8'))).toBe(untouched(before));
    expect(pins.IMAGES.devicePlugin.digestSource).toMatch(/^no digest: /);

    // Run again: the same digests, the same file.
    const once = readFileSync(file, 'utf8');
    expect((await pinDigests(file)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(once);
  }, 60_000);

  it('writes nothing when a chart archive does not match its index, and says which', async () => {
    const file = path.join(dir, 'images-bad.ts');
    copyFileSync(PINS, file);
    const right = chartIndexDigest;
    chartIndexDigest = '0'.repeat(64);
    try {
      const out = await pinDigests(file);
      expect(out.code, out.stdout + out.stderr).toBe(1);
      expect(out.stderr).toContain(`charts.provider (provider 19.0.2): index.yaml says sha256 ${'0'.repeat(64)}, the archive hashes to ${right}`);
      expect(out.stderr).toContain('nothing was written');
      expect(readFileSync(file, 'utf8')).toBe(readFileSync(PINS, 'utf8'));
    } finally {
      chartIndexDigest = right;
    }
  }, 60_000);
});
