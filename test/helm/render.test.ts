// The renderer follows Helm's documented semantics: checked on a small chart written for it
// (fixture-chart/), one assertion per rule, before it is trusted as an oracle for upstream charts.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer, renderChart, splitDocuments, type RenderInput } from './render.js';

const chartDir = join(fileURLToPath(new URL('.', import.meta.url)), 'fixture-chart');
const base: RenderInput = { chartDir, values: {}, releaseName: 'rel', namespace: 'ns', apiVersions: ['v1', 'gateway.networking.k8s.io/v1'] };

async function data(values: Record<string, unknown>, template: string): Promise<Record<string, unknown>> {
  const { objects } = await renderChart({ ...base, values });
  const found = objects.find((o) => o.template === template);
  if (found === undefined) throw new Error(`${template} not rendered; got ${objects.map((o) => o.template).join(', ')}`);
  return found.object.data as Record<string, unknown>;
}

// A cold build of the Go renderer takes seconds (minutes on a busy CI machine): not a test's time.
beforeAll(() => buildRenderer().then(() => undefined), 180_000);

describe('helm renderer semantics', () => {
  it('fills .Release, .Chart, .Capabilities and .Template as helm install does', async () => {
    const d = await data({}, 'fixture/templates/configmap.yaml');
    expect(d).toMatchObject({
      release: 'rel', service: 'Helm', install: 'true', upgrade: 'false', revision: '1',
      chart: 'fixture-1.2.3-4.5.6', kube: 'v1.32.4+k3s1', kubeMinor: '32', semver: 'true', hasGateway: 'true',
      template: 'fixture/templates/configmap.yaml', basePath: 'fixture/templates',
    });
  });

  it('runs include, toYaml | nindent, default, tpl, ternary, hasKey, toJson, fromYaml and lookup', async () => {
    const { objects } = await renderChart(base);
    const cm = objects.find((o) => o.template === 'fixture/templates/configmap.yaml')?.object;
    expect(cm?.metadata).toEqual({ name: 'demo', namespace: 'ns', labels: { app: 'demo', chart: 'fixture' } });
    expect(cm?.data).toMatchObject({ tpl: 'hello rel from fixture', ternary: 'yes', json: '{"app":"demo"}', fromYaml: '1', lookup: '0', missing: '' });
    const named = await renderChart({ ...base, values: { name: null } });
    expect(named.objects.find((o) => o.template === 'fixture/templates/configmap.yaml')?.object.metadata).toMatchObject({ name: 'fallback' });
  });

  it('merges user values over values.yaml: user wins, maps merge, null deletes a default', async () => {
    const d = await data({ replicas: 3, nested: { drop: null }, removeMe: null }, 'fixture/templates/configmap.yaml');
    expect(d).toMatchObject({ replicas: '3', nestedKeys: 'keep', ternary: 'no' });
    expect(await data({}, 'fixture/templates/configmap.yaml')).toMatchObject({ replicas: '2', nestedKeys: 'drop,keep' });
  });

  it('reads .Files (Get, Lines, Glob, AsConfig) honouring .helmignore', async () => {
    expect(await data({}, 'fixture/templates/configmap.yaml')).toMatchObject({ file: 'hello\nworld', lines: '2', glob: '1' });
    expect(await data({}, 'fixture/templates/files.yaml')).toEqual({ 'greeting.txt': 'hello\nworld\n' });
  });

  it('scopes subchart values, passes the parent global down and lets the parent define win', async () => {
    expect(await data({}, 'fixture/charts/child/templates/cm.yaml')).toEqual({
      greeting: 'from-parent', own: 'child-default', region: 'eu', childOnly: 'kept', parentName: '', chart: 'child',
      template: 'fixture/charts/child/templates/cm.yaml', sharedDefine: 'fallback',
    });
  });

  it('enables subcharts by condition, under their alias', async () => {
    const off = await renderChart(base);
    expect(off.objects.map((o) => o.template)).not.toContain('fixture/charts/renamed/templates/cm.yaml');
    const on = await renderChart({ ...base, values: { renamed: { enabled: true }, child: { enabled: false } } });
    expect(on.objects.map((o) => o.template)).toEqual(['fixture/charts/renamed/templates/cm.yaml', 'fixture/templates/configmap.yaml', 'fixture/templates/files.yaml']);
    expect(on.objects[0]?.object.metadata).toEqual({ name: 'renamed' });
  });

  it('skips partials, NOTES.txt and templates that render to comments only; returns crds/', async () => {
    const { objects, crds } = await renderChart(base);
    expect(objects.map((o) => o.template)).toEqual(['fixture/charts/child/templates/cm.yaml', 'fixture/templates/configmap.yaml', 'fixture/templates/files.yaml']);
    expect(crds.map((c) => [c.file, (c.object.metadata as { name: string }).name])).toEqual([['fixture/crds/widget.yaml', 'widgets.example.com']]);
  });

  it('fails like Helm on required and fail, naming the template and line', async () => {
    await expect(renderChart({ ...base, values: { requireIt: { other: 1 } } })).rejects.toThrow(
      /execution error at \(fixture\/templates\/required\.yaml:2:\d+\): requireIt\.value is required/,
    );
    await expect(renderChart({ ...base, values: { failIt: true } })).rejects.toThrow(/execution error at \(fixture\/templates\/required\.yaml:5:\d+\): asked to fail/);
  });

  it('rejects a missing chart with a clear message', async () => {
    await expect(renderChart({ ...base, chartDir: join(chartDir, 'nope') })).rejects.toThrow(/loading chart .*nope/);
  });

  it('splits documents where Helm does and reads scalars as sigs.k8s.io/yaml (go-yaml v2) does', () => {
    const text = 'a: yes\nb: on\nc: 2001-12-14\nd: 1:30\ne: 0777\nf: "1"\n---# a comment glued to the separator\nx: 1\n---\n# only a comment\n';
    expect(splitDocuments(text, 't')).toEqual([{ a: true, b: true, c: '2001-12-14', d: '1:30', e: 511, f: '1' }, { x: 1 }]);
    expect(() => splitDocuments('a: 1\na: 2\n', 'dup.yaml')).toThrow(/dup\.yaml: invalid YAML/);
  });
});
