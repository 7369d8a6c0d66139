import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';

describe('cosmjs 0.38 on the pinned @scure/base', () => {
  // @cosmjs/encoding 0.38.1 calls bech32.decode(address, Infinity); @scure/base >= 2.2 refuses a
  // non-integer limit, which broke every address check (package.json "overrides" pins 2.0.0).
  it('parses an akash address with the default limit', () => {
    const addr = toBech32('akash', new Uint8Array(20).fill(7));
    expect(fromBech32(addr).prefix).toBe('akash');
  });
});
