// The bid deposit token, through the pinned upstream provider chart: what the chart hands the
// provider (env AKASH_BID_DEPOSIT, which provider-services reads as --bid-deposit) for each choice.
import { beforeAll, describe, expect, it } from 'vitest';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { buildRenderer, type K8sObject } from '../../../test/helm/render.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { renderPlanCharts } from '../../../test/stack/render-plan.js';
import { plan } from './plan.js';

/** The provider chart rendered with exactly the values `stack up` writes for these settings. */
async function providerObjects(over: Record<string, unknown>): Promise<K8sObject[]> {
  const p = plan({
    settings: StackSettings.parse({ domain: 'rig.example.com', email: 'ops@rig.example.com', ...over }),
    hardware: { gpus: fixtureGpus('rtx4090_535.86.05_1gpu.xml') },
    secrets: { walletAddress: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', walletKeyPresent: true },
    pricing: { script: null, env: {} },
  });
  const rendered = await renderPlanCharts({ ...p, manifests: p.manifests.filter((m) => m.component === 'akash-provider') });
  return rendered.get('akash-provider')!.objects.map((o) => o.object);
}

/** AKASH_BID_DEPOSIT as the provider container gets it: from its env list and from the main ConfigMap. */
function bidDeposit(objects: K8sObject[]): { env: string | undefined; configMap: string | undefined } {
  const sts = objects.find((o) => o['kind'] === 'StatefulSet') as unknown as { spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } } };
  const cm = objects.find((o) => o['kind'] === 'ConfigMap' && (o['metadata'] as { name: string }).name === 'akash-provider-main') as unknown as { data: Record<string, string> };
  return { env: sts.spec.template.spec.containers[0]!.env?.find((e) => e.name === 'AKASH_BID_DEPOSIT')?.value, configMap: cm.data['AKASH_BID_DEPOSIT'] };
}

beforeAll(async () => {
  await buildRenderer();
}, 300_000);

describe('bid deposit token → the provider chart', () => {
  it('defaults to AKT, as upstream: the chart’s own 500000uakt reaches the provider', async () => {
    expect(StackSettings.parse({}).bidDepositDenom).toBe('uakt');
    expect(bidDeposit(await providerObjects({}))).toEqual({ env: '500000uakt', configMap: '500000uakt' });
  }, 60_000);

  it('ACT chosen: every bid deposits 0.5 ACT (500000uact)', async () => {
    expect(bidDeposit(await providerObjects({ bidDepositDenom: 'uact' }))).toEqual({ env: '500000uact', configMap: '500000uact' });
  }, 60_000);

  it('refuses any other token', () => {
    expect(StackSettings.safeParse({ bidDepositDenom: 'uusdc' }).success).toBe(false);
  });
});
