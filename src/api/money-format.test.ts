import { describe, expect, it } from 'vitest';
import { formatTokens } from './money-format.js';

describe('formatTokens', () => {
  it('exact keeps every micro digit that is not zero', () => {
    expect(formatTokens('5625', 'AKT')).toBe('0.005625 AKT');
    expect(formatTokens(72_813_110n, 'ACT')).toBe('72.81311 ACT');
    expect(formatTokens('1234500000', 'ACT', { group: true })).toBe('1,234.5 ACT');
    expect(formatTokens('-1500000', 'AKT')).toBe('-1.5 AKT');
  });

  it('summary: at most 2 decimals from 1 up, 4 below, rounded half up, never a bare 0 for something', () => {
    expect(formatTokens('72813110', 'ACT', { precision: 'summary' })).toBe('72.81 ACT');
    expect(formatTokens('6318238', 'ACT', { precision: 'summary' })).toBe('6.32 ACT');
    expect(formatTokens('999995', 'ACT', { precision: 'summary' })).toBe('1 ACT');
    expect(formatTokens('5625', 'AKT', { precision: 'summary' })).toBe('0.0056 AKT');
    expect(formatTokens('61500000', 'ACT', { precision: 'summary' })).toBe('61.5 ACT');
    expect(formatTokens('0', 'ACT', { precision: 'summary' })).toBe('0 ACT');
    expect(formatTokens('40', 'ACT', { precision: 'summary' })).toBe('< 0.0001 ACT');
    expect(formatTokens('-6318238', 'ACT', { precision: 'summary' })).toBe('-6.32 ACT');
    // An amount that is needed rounds up: "needs 1.53 AKT", never less than it takes.
    expect(formatTokens('1522500', 'AKT', { precision: 'summary', round: 'up' })).toBe('1.53 AKT');
    expect(formatTokens('1520000', 'AKT', { precision: 'summary', round: 'up' })).toBe('1.52 AKT');
  });
});
