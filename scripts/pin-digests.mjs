#!/usr/bin/env node
/**
 * Release step: pin every image and chart the stack runs by digest (DEVELOPMENT.md, "Releasing").
 *
 * For each image in IMAGES (src/provider/stack/images.ts) whose ref is a plain string, it asks the
 * image's registry for the manifest of the pinned tag through the Registry HTTP API v2
 * (distribution spec: GET /v2/<name>/manifests/<tag>, answering a Bearer challenge with an
 * anonymous pull token as Docker Hub, ghcr.io and nvcr.io do), accepting an OCI image index and a
 * Docker manifest list first, so the digest pins every architecture. The digest is the sha256 of
 * the manifest bytes; a registry's Docker-Content-Digest header must agree. The ref becomes
 * `repo:tag@sha256:…` and digestSource says where and when it was read.
 *
 * For each chart in CHARTS it reads the repository's index.yaml, downloads the pinned version's
 * archive, checks it against the index's digest, and writes the archive's sha256; an `oci://`
 * chart gets its manifest digest the same way as an image.
 *
 * The RigLease k3s image (a template literal in images.ts) is skipped: CI builds and pushes it,
 * and its digest goes into K3S_PUBLISHED_DIGEST.
 *
 * Usage: node scripts/pin-digests.mjs [--file PATH] [--only images.NAME,charts.NAME] [--dry-run]
 *          [--registry HOST=BASE_URL]... [--chart-repo URL=BASE_URL]...
 * --registry / --chart-repo read a registry or chart repository from another address (a mirror,
 * the test's local registry) while the pins keep naming the real one.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_FILE = path.join(here, '..', 'src', 'provider', 'stack', 'images.ts');

/** Index types first: one digest for every architecture the tag has. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: DEFAULT_FILE },
    only: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    registry: { type: 'string', multiple: true, default: [] },
    'chart-repo': { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
  process.exit(0);
}

const mapping = (list, what) =>
  new Map(
    list.map((entry) => {
      const eq = entry.indexOf('=');
      if (eq <= 0) fail(`--${what} wants FROM=BASE_URL, got ${JSON.stringify(entry)}`);
      return [entry.slice(0, eq).replace(/\/+$/, ''), entry.slice(eq + 1).replace(/\/+$/, '')];
    }),
  );
const registryBases = mapping(values.registry, 'registry');
const chartRepoBases = mapping(values['chart-repo'], 'chart-repo');
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null;
const today = new Date().toISOString().slice(0, 10);

function fail(message) {
  console.error(`pin-digests: ${message}`);
  process.exit(1);
}

/** `ghcr.io/a/b:tag@sha256:…` → registry host, repository, tag (Docker Hub's short names expanded). */
function parseImageRef(ref) {
  const [nameTag] = ref.split('@');
  const slash = nameTag.lastIndexOf('/');
  const colon = nameTag.lastIndexOf(':');
  if (colon <= slash) throw new Error(`${ref} has no tag to resolve`);
  let name = nameTag.slice(0, colon);
  const tag = nameTag.slice(colon + 1);
  const first = name.split('/')[0];
  let host = 'docker.io';
  if (name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    host = first;
    name = name.slice(first.length + 1);
  } else if (!name.includes('/')) {
    name = `library/${name}`;
  }
  return { host, repository: name, tag, nameTag };
}

function registryBase(host) {
  return registryBases.get(host) ?? (host === 'docker.io' ? 'https://registry-1.docker.io' : `https://${host}`);
}

/** `Bearer realm="…",service="…",scope="…"` → its parameters. */
function parseChallenge(header) {
  const m = /^Bearer\s+(.*)$/i.exec(header ?? '');
  if (!m) return null;
  const params = {};
  for (const p of m[1].matchAll(/(\w+)="([^"]*)"/g)) params[p[1]] = p[2];
  return params.realm ? params : null;
}

/** GET with the registry's token dance: anonymous pull token for this repository on a 401. */
async function registryGet(base, repository, pathTail, accept) {
  const url = `${base}/v2/${repository}/${pathTail}`;
  let res = await fetch(url, { headers: { accept } });
  if (res.status === 401) {
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    if (!challenge) throw new Error(`${url}: 401 without a Bearer challenge (${res.headers.get('www-authenticate') ?? 'none'})`);
    const tokenUrl = new URL(challenge.realm);
    if (challenge.service) tokenUrl.searchParams.set('service', challenge.service);
    tokenUrl.searchParams.set('scope', challenge.scope ?? `repository:${repository}:pull`);
    const t = await fetch(tokenUrl);
    if (!t.ok) throw new Error(`${tokenUrl.origin}${tokenUrl.pathname}: token refused (HTTP ${t.status})`);
    const body = await t.json();
    const token = body.token ?? body.access_token;
    if (typeof token !== 'string') throw new Error(`${tokenUrl.origin}${tokenUrl.pathname}: no token in the answer`);
    res = await fetch(url, { headers: { accept, authorization: `Bearer ${token}` } });
  }
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res;
}

/** The manifest digest of `repository:tag`: sha256 of the bytes served, checked against the header. */
async function manifestDigest(host, repository, tag, accept = MANIFEST_ACCEPT) {
  const res = await registryGet(registryBase(host), repository, `manifests/${encodeURIComponent(tag)}`, accept);
  const bytes = Buffer.from(await res.arrayBuffer());
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const said = res.headers.get('docker-content-digest');
  if (said && said !== digest) throw new Error(`${host}/${repository}:${tag}: the registry says ${said} but the manifest it sent hashes to ${digest}`);
  return { digest, mediaType: (res.headers.get('content-type') ?? 'unknown').split(';')[0] };
}

async function chartArchiveDigest(pin) {
  const base = chartRepoBases.get(pin.repo.replace(/\/+$/, '')) ?? pin.repo.replace(/\/+$/, '');
  const res = await fetch(`${base}/index.yaml`);
  if (!res.ok) throw new Error(`${pin.repo}/index.yaml: HTTP ${res.status}`);
  // Every scalar as a string: a digest or version of digits only must not turn into a number.
  const index = YAML.parse(await res.text(), { schema: 'failsafe' });
  const entry = (index?.entries?.[pin.chart] ?? []).find((e) => String(e.version) === pin.version);
  if (!entry) throw new Error(`${pin.repo} has no ${pin.chart} ${pin.version}`);
  const url = new URL(entry.urls?.[0] ?? '', `${base}/`);
  // An absolute URL in the index that points at the real repository is read through the mirror too.
  const fetchUrl = url.href.startsWith(pin.repo) ? `${base}${url.href.slice(pin.repo.replace(/\/+$/, '').length)}` : url.href;
  const archive = await fetch(fetchUrl);
  if (!archive.ok) throw new Error(`${url.href}: HTTP ${archive.status}`);
  const hex = createHash('sha256').update(Buffer.from(await archive.arrayBuffer())).digest('hex');
  if (entry.digest && entry.digest !== hex) throw new Error(`index.yaml says sha256 ${entry.digest}, the archive hashes to ${hex}`);
  return `sha256:${hex}`;
}

const quote = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const unquote = (s) => s.replace(/\\(.)/g, '$1');

/** The `export const NAME = { … } as const` block of the pins file: [start, end) offsets. */
function block(text, name) {
  const start = text.indexOf(`export const ${name} = {`);
  if (start < 0) fail(`${values.file} has no ${name}`);
  const end = text.indexOf('\n} as const', start);
  return [start, end];
}

let text = readFileSync(values.file, 'utf8');
const changes = [];
const problems = [];

// Images: `  name: {\n    ref: '…',\n    digestSource: '…',\n  },` — a template-literal ref is RigLease's own image.
{
  const [start, end] = block(text, 'IMAGES');
  let part = text.slice(start, end);
  const entry = /\n {2}(\w+): \{\n {4}ref: ('(?:[^'\\]|\\.)*'|`[^`]*`),\n {4}digestSource: '((?:[^'\\]|\\.)*)',/g;
  const replacements = [];
  for (const m of part.matchAll(entry)) {
    const [whole, key, refLiteral] = m;
    if (only && !only.has(`images.${key}`)) continue;
    if (refLiteral.startsWith('`')) {
      console.log(`images.${key}: skipped (built by RigLease; CI writes its digest into K3S_PUBLISHED_DIGEST)`);
      continue;
    }
    const ref = unquote(refLiteral.slice(1, -1));
    try {
      const r = parseImageRef(ref);
      const { digest, mediaType } = await manifestDigest(r.host, r.repository, r.tag);
      const next = `${r.nameTag}@${digest}`;
      const source = `registry ${r.host}: manifest digest of tag ${r.tag} (${mediaType}), read ${today} by scripts/pin-digests.mjs`;
      replacements.push([whole, `\n  ${key}: {\n    ref: ${quote(next)},\n    digestSource: ${quote(source)},`]);
      changes.push(`images.${key}: ${ref} → ${next}`);
    } catch (err) {
      problems.push(`images.${key} (${ref}): ${err.message}`);
    }
  }
  for (const [from, to] of replacements) part = part.replace(from, to);
  text = text.slice(0, start) + part + text.slice(end);
}

// Charts: a `digest: '…'` line after `version: '…'` (replaced when there is one already).
{
  const [start, end] = block(text, 'CHARTS');
  let part = text.slice(start, end);
  const entry = /\n {2}(\w+): \{\n((?: {4}\w+: '(?:[^'\\]|\\.)*',\n)+)/g;
  const replacements = [];
  for (const m of part.matchAll(entry)) {
    const [whole, key, body] = m;
    if (only && !only.has(`charts.${key}`)) continue;
    const fields = Object.fromEntries([...body.matchAll(/ {4}(\w+): '((?:[^'\\]|\\.)*)',\n/g)].map((f) => [f[1], unquote(f[2])]));
    try {
      let digest;
      if (fields.chart.startsWith('oci://')) {
        const r = parseImageRef(`${fields.chart.slice('oci://'.length)}:${fields.version}`);
        digest = (await manifestDigest(r.host, r.repository, r.tag, 'application/vnd.oci.image.manifest.v1+json')).digest;
      } else {
        digest = await chartArchiveDigest(fields);
      }
      const lines = body.split('\n').filter((l) => l !== '' && !l.startsWith('    digest: '));
      const at = lines.findIndex((l) => l.startsWith('    version: '));
      lines.splice(at + 1, 0, `    digest: ${quote(digest)},`);
      replacements.push([whole, `\n  ${key}: {\n${lines.join('\n')}\n`]);
      changes.push(`charts.${key}: ${fields.chart} ${fields.version} → ${digest}`);
    } catch (err) {
      problems.push(`charts.${key} (${fields.chart} ${fields.version}): ${err.message}`);
    }
  }
  for (const [from, to] of replacements) part = part.replace(from, to);
  text = text.slice(0, start) + part + text.slice(end);
}

for (const c of changes) console.log(c);
if (problems.length > 0) {
  for (const p of problems) console.error(`pin-digests: ${p}`);
  console.error(`pin-digests: ${problems.length} pin(s) could not be resolved; nothing was written.`);
  process.exit(1);
}
if (!values['dry-run']) writeFileSync(values.file, text);
console.log(`${values['dry-run'] ? 'would pin' : 'pinned'} ${changes.length} digest(s) in ${path.relative(process.cwd(), values.file)}`);
