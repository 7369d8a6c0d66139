import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { plan } from './plan.js';

const rtx4090 = fixtureGpus('rtx4090_535.86.05_1gpu.xml');

/** The provider chart's values as `stack up` would write them, for a stack setting override. */
function providerValues(over: Record<string, unknown>): Record<string, unknown> {
  const p = plan({
    settings: StackSettings.parse({ domain: 'example.org', email: 'ops@example.org', ...over }),
    hardware: { gpus: rtx4090 },
    secrets: { walletAddress: 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', walletKeyPresent: true },
    pricing: { script: null, env: {} },
  });
  const doc = parse(p.manifests.find((m) => m.component === 'akash-provider')!.yaml) as { spec: { valuesContent: string } };
  return parse(doc.spec.valuesContent) as Record<string, unknown>;
}

describe('AEP-82 notice window → the provider chart’s reclamationWindow', () => {
  it('is off by default: the chart gets no reclamationWindow, so bids promise no notice', () => {
    expect(StackSettings.parse({}).reclamationWindowHours).toBeNull();
    expect(providerValues({})).not.toHaveProperty('reclamationWindow');
  });

  it('passes a set window to every bid as a Go duration', () => {
    expect(providerValues({ reclamationWindowHours: 24 })['reclamationWindow']).toBe('24h');
    expect(providerValues({ reclamationWindowHours: 1 })['reclamationWindow']).toBe('1h');
    expect(providerValues({ reclamationWindowHours: 720 })['reclamationWindow']).toBe('720h');
  });

  it('refuses windows outside the chain’s bounds (1 h .. 720 h) with the bound in words', () => {
    for (const [bad, why] of [[0, /at least 1 hour/], [721, /at most 720 hours/], [1.5, /whole number of hours/], [-3, /at least 1 hour/]] as const) {
      const r = StackSettings.safeParse({ reclamationWindowHours: bad });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(why);
    }
  });
});
