// Renders an upstream Helm chart with the Go renderer in ./render (text/template + sprig, Helm's
// own engine), so tests check RigLease's values against the real charts. Test tool only.
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, type Tags } from 'yaml';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE_DIR = join(REPO_ROOT, 'test/helm/render');
const CACHE_DIR = join(REPO_ROOT, 'node_modules/.cache/riglease-helm');

/** The read-only copies of upstream charts and CRDs: `../shared/upstream` beside the repository. */
export const UPSTREAM = resolve(REPO_ROOT, '../shared/upstream');
if (!existsSync(join(UPSTREAM, 'README.md'))) {
  throw new Error(`upstream artifacts not found at ${UPSTREAM}: the tests expect ../shared/upstream beside the repository (see test/README.md)`);
}

/** Built-in group/versions of Kubernetes 1.32 — what `helm template` assumes without --api-versions. */
export const BUILTIN_API_VERSIONS: readonly string[] = [
  'v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'policy/v1', 'rbac.authorization.k8s.io/v1',
  'networking.k8s.io/v1', 'storage.k8s.io/v1', 'node.k8s.io/v1', 'scheduling.k8s.io/v1', 'coordination.k8s.io/v1',
  'admissionregistration.k8s.io/v1', 'apiextensions.k8s.io/v1', 'apiregistration.k8s.io/v1', 'certificates.k8s.io/v1',
  'discovery.k8s.io/v1', 'events.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1', 'authentication.k8s.io/v1',
  'authorization.k8s.io/v1',
];

export interface RenderInput {
  /** Absolute path of the chart folder (its Chart.yaml, or Chart.template.yaml with chartVersion). */
  chartDir: string;
  /** User values, merged over the chart's values.yaml as `helm install -f` does (null deletes). */
  values: Record<string, unknown>;
  releaseName: string;
  namespace: string;
  /** .Capabilities.APIVersions; defaults to BUILTIN_API_VERSIONS. Add CRD groups the cluster serves. */
  apiVersions?: readonly string[];
  /** Version and appVersion for a chart that ships only Chart.template.yaml (cert-manager: 'v1.19.1'). */
  chartVersion?: string;
}

export type K8sObject = Record<string, unknown>;

export interface RenderedChart {
  /** One entry per YAML document of every rendered template, empty documents dropped. */
  objects: { template: string; object: K8sObject }[];
  /** The documents of the chart's (and enabled subcharts') crds/ files, which Helm applies first. */
  crds: { file: string; object: K8sObject }[];
}

interface RawOutput {
  manifests: { template: string; yaml: string }[];
  crds: { file: string; yaml: string }[];
}

const RENDER_TIMEOUT_MS = 30_000;
let binary: Promise<string> | undefined;

/** Renders a chart like `helm template`; rejects with Helm's "template:line" message on errors. */
export async function renderChart(input: RenderInput): Promise<RenderedChart> {
  const bin = await buildRenderer();
  const request = JSON.stringify({ ...input, apiVersions: input.apiVersions ?? BUILTIN_API_VERSIONS });
  const raw = JSON.parse(await run(bin, request)) as RawOutput;
  return {
    objects: raw.manifests.flatMap((m) => splitDocuments(m.yaml, m.template).map((object) => ({ template: m.template, object }))),
    crds: raw.crds.flatMap((c) => splitDocuments(c.yaml, c.file).map((object) => ({ file: c.file, object }))),
  };
}

/** Parses multi-document YAML into objects; empty documents (only comments) are dropped. */
export function splitDocuments(text: string, source: string): K8sObject[] {
  // Split where Helm splits (any "---" after a newline, even "---# comment", which YAML itself
  // would not take as a separator), then read each piece as Kubernetes' sigs.k8s.io/yaml does.
  const out: K8sObject[] = [];
  for (const piece of text.split(/(?:^|\s*\n)---\s*/)) {
    if (piece.trim() === '') continue;
    const doc = parseDocument(piece, { version: '1.1', customTags: goYamlV2Tags });
    if (doc.errors.length > 0) throw new Error(`${source}: invalid YAML: ${doc.errors[0]?.message ?? ''}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${source}: a document is not an object`);
    out.push(value as K8sObject);
  }
  return out;
}

/**
 * YAML 1.1 as go-yaml v2 (under sigs.k8s.io/yaml) resolves plain scalars: yes/no/on/off/y/n are
 * bools, 0777 is octal, but a date stays a string and 1:30 is not base-60.
 */
function goYamlV2Tags(tags: Tags): Tags {
  return tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && !('format' in t && t.format === 'TIME')));
}

/** Builds the renderer once per source version (cached by hash); concurrent workers race safely. */
export function buildRenderer(): Promise<string> {
  binary ??= (async () => {
    const names = (await readdir(SOURCE_DIR)).filter((n) => n.endsWith('.go')).sort();
    const hash = createHash('sha256');
    for (const n of names) hash.update(n).update(await readFile(join(SOURCE_DIR, n)));
    const target = join(CACHE_DIR, `helm-render-${hash.digest('hex').slice(0, 16)}`);
    if (existsSync(target)) return target;
    await mkdir(CACHE_DIR, { recursive: true });
    // Build beside the target and rename: a rename is atomic, so a racing worker sees all or nothing.
    const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await goBuild(temp);
    await rename(temp, target).catch(async (err: unknown) => {
      await rm(temp, { force: true });
      if (!existsSync(target)) throw err;
    });
    return target;
  })();
  binary.catch(() => { binary = undefined; });
  return binary;
}

function goBuild(output: string): Promise<void> {
  // GOPATH mode against Debian's golang-*-dev sources: no module proxy is reachable in CI.
  const env = {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: '/usr/share/gocode',
    GOCACHE: join(REPO_ROOT, 'node_modules/.cache/go-build'),
    GOFLAGS: '',
  };
  return new Promise((done, fail) => {
    execFile('go', ['build', '-o', output, './test/helm/render'], { cwd: REPO_ROOT, env, timeout: 180_000 }, (err, _stdout, stderr) => {
      if (!err) return done();
      const hint = (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'the Go toolchain is missing: install golang-go and the golang-*-dev packages listed in .ci/run'
        : stderr.trim() || err.message;
      fail(new Error(`building the Helm renderer failed: ${hint}`));
    });
  });
}

function run(bin: string, stdin: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), RENDER_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return done(Buffer.concat(out).toString('utf8'));
      const why = signal ? `killed by ${signal} after ${RENDER_TIMEOUT_MS} ms` : Buffer.concat(err).toString('utf8').trim();
      fail(new Error(`helm render: ${why}`));
    });
    child.stdin.end(stdin);
  });
}
