// A pin moves only together with its proof: every chart pin must have an upstream copy of exactly
// that version to render (otherwise the rendering tests would be checking a chart we do not
// install), every image the charts run must be the version those charts were written for, and
// every CRD pin must hash to the upstream bytes it names.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UPSTREAM } from '../../../test/helm/render.js';
import { upstreamChartFor } from '../../../test/stack/upstream-chart-index.js';
import { CHARTS, IMAGES, REMOTE_MANIFESTS, splitImageRef } from './images.js';

describe('every pin has been re-checked against its upstream copy', () => {
  it('each pinned chart version has an upstream copy that the rendering tests render', () => {
    for (const [key, pin] of Object.entries(CHARTS)) {
      expect(() => upstreamChartFor(pin.chart, pin.version), key).not.toThrow();
    }
  });

  it('a pin moved to a version with no upstream copy is refused with what to do', () => {
    expect(() => upstreamChartFor(CHARTS.provider.chart, '19.0.3')).toThrow(/pinned at 19\.0\.3, but \.\.\/shared\/upstream holds 19\.0\.2: add the upstream copy/);
  });

  it("each image runs the version of the chart that deploys it (the chart's appVersion)", () => {
    const appVersion = (key: keyof typeof CHARTS): string | null => upstreamChartFor(CHARTS[key].chart, CHARTS[key].version).appVersion;
    const tag = (key: keyof typeof IMAGES): string | null => splitImageRef(IMAGES[key].ref).tag;
    expect(tag('provider')).toBe(appVersion('provider'));
    expect(tag('provider')).toBe(appVersion('hostnameOperator'));
    expect(tag('provider')).toBe(appVersion('inventoryOperator'));
    expect(tag('devicePlugin')).toBe(`v${appVersion('devicePlugin')!}`);
    expect(tag('gatewayController')).toBe(appVersion('nginxGatewayFabric'));
    expect(tag('gatewayNginx')).toBe(appVersion('nginxGatewayFabric'));
  });

  it('each image is pinned by digest, or says why it cannot be', () => {
    for (const [key, pin] of Object.entries(IMAGES)) {
      const ref = splitImageRef(pin.ref);
      expect(ref.tag, key).not.toBe('latest');
      if (!ref.digest) expect(pin.digestSource, key).toMatch(/^no digest: /);
    }
  });

  it('each CRD pin hashes to the unmodified upstream file it names', () => {
    for (const pin of REMOTE_MANIFESTS) {
      const sha = createHash('sha256').update(readFileSync(join(UPSTREAM, pin.mirrorPath))).digest('hex');
      expect(sha, pin.name).toBe(pin.sha256);
      // The URL names the same repository, ref and path as the mirror copy.
      const [repoAtRef, ...path] = pin.mirrorPath.split('/');
      expect(pin.url.endsWith(`/${path.join('/')}`), pin.name).toBe(true);
      expect(pin.url, pin.name).toContain(repoAtRef!.split('@')[1]!);
    }
  });
});
