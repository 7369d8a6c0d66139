import { describe, expect, it } from 'vitest';
import { mergePatch } from '../app/pricing/merge-patch.js';
import { pricingPatch } from '../cli/commands/pricing.js';
import { splitDottedPath } from './dotted-path.js';

const polluted = () => (Object.prototype as Record<string, unknown>)['polluted'];

describe('dotted paths never reach the prototype', () => {
  it('pricing set __proto__.x / constructor.prototype.x / prototype.x are refused and Object.prototype is untouched', () => {
    for (const key of ['__proto__.polluted', 'constructor.prototype.polluted', 'prototype.polluted', 'power.__proto__.polluted']) {
      expect(() => pricingPatch([key, '1'], [], [])).toThrow(/never a setting name/);
      expect(polluted()).toBeUndefined();
    }
    expect(() => splitDottedPath('a..b')).toThrow(/not a setting path/);
    expect(splitDottedPath('power.pricePerKwh')).toEqual(['power', 'pricePerKwh']);
  });

  it('a JSON patch with an own "__proto__" key is refused by the merge', () => {
    const patch = JSON.parse('{"power": {"__proto__": {"polluted": 1}}}') as unknown;
    expect(() => mergePatch({ power: { pricePerKwh: 0.3 } }, patch)).toThrow(/not a pricing setting/);
    expect(polluted()).toBeUndefined();
  });
});
