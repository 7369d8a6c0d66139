import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { StackSettings } from '../../api/schemas/settings/stack.js';
import { fixtureGpus } from '../../../test/stack/fixture-gpus.js';
import { WALLET_COMPONENT, WALLET_REDACTED, WALLET_SECRET, manifestHeader, walletSecretManifest } from './manifests.js';
import { plan, type PlanInput } from './plan.js';

const A = 'akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq';
const B = 'akash1zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';
const KEY = { armored: '-----BEGIN TENDERMINT PRIVATE KEY-----\nkdf: bcrypt\n\nAAAA\n=abcd\n-----END TENDERMINT PRIVATE KEY-----', passphrase: 'f00dfeedf00dfeed' };

function input(secrets: PlanInput['secrets']): PlanInput {
  return { settings: StackSettings.parse({ domain: 'example.org', email: 'ops@example.org' }), hardware: { gpus: fixtureGpus('rtx4090_535.86.05_1gpu.xml') }, secrets, pricing: { script: null, env: {} } };
}

describe('the provider key Secret in the plan', () => {
  it('is planned, redacted, only when the wallet can export its key', () => {
    const withKey = plan(input({ walletAddress: A, walletKeyPresent: true }));
    const m = withKey.manifests.find((x) => x.component === WALLET_COMPONENT)!;
    expect(parse(m.yaml)).toMatchObject({ kind: 'Secret', metadata: { name: WALLET_SECRET, annotations: { 'riglease.io/wallet-address': A } }, stringData: { 'values.yaml': WALLET_REDACTED } });
    const without = plan(input({ walletAddress: A, walletKeyPresent: false }));
    expect(without.manifests.map((x) => x.component)).not.toContain(WALLET_COMPONENT);
    expect(without.manifests.map((x) => x.component)).toContain('akash-provider');
    expect(without.notes.join(' ')).toMatch(/key cannot be exported yet/);
  });

  it('the real form carries key/keysecret under the same header and hash; another wallet changes the hash', () => {
    const redacted = walletSecretManifest(A, null);
    const real = walletSecretManifest(A, KEY);
    expect(real.hash).toBe(redacted.hash);
    expect(manifestHeader(real.yaml)).toBe(manifestHeader(redacted.yaml));
    const values = parse((parse(real.yaml) as { stringData: Record<string, string> }).stringData['values.yaml']!) as Record<string, string>;
    expect(Buffer.from(values['key']!, 'base64').toString()).toBe(KEY.armored);
    expect(Buffer.from(values['keysecret']!, 'base64').toString()).toBe(KEY.passphrase);
    expect(redacted.yaml).not.toContain(Buffer.from(KEY.passphrase).toString('base64'));
    expect(walletSecretManifest(B, null).hash).not.toBe(redacted.hash);
  });
});
