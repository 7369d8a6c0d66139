import { describe, expect, it } from 'vitest';
import { formatAgo, formatOld, formatSpan, secondsSince } from './age.js';

describe('the one age formatter (CLI and renderer)', () => {
  it('says a span in its largest sensible unit, rounded', () => {
    expect([0, 45, 89, 90, 180, 5_399, 5_400, 7_200, 172_799, 172_800, 3 * 86_400].map(formatSpan)).toEqual([
      '0 s',
      '45 s',
      '89 s',
      '2 min',
      '3 min',
      '90 min',
      '2 h',
      '2 h',
      '48 h',
      '2 days',
      '3 days',
    ]);
  });

  it('rounds fractional seconds and reads clock skew as 0 s', () => {
    expect(formatSpan(44.6)).toBe('45 s');
    expect(formatSpan(-30)).toBe('0 s');
  });

  it('says a past moment as "just now" or "… ago", and what never happened in the caller\'s words', () => {
    expect(formatAgo(3)).toBe('just now');
    expect(formatAgo(12)).toBe('12 s ago');
    expect(formatAgo(180)).toBe('3 min ago');
    expect(formatAgo(null)).toBe('never');
    expect(formatAgo(null, 'none')).toBe('none');
  });

  it('says fetched data as "… old"', () => {
    expect(formatOld(7_200)).toBe('2 h old');
    expect(formatOld(null)).toBe('never fetched');
  });

  it('measures an ISO time against now', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(formatSpan(secondsSince('2026-01-01T21:00:00Z', now))).toBe('3 h');
    expect(secondsSince('2026-01-02T00:00:05Z', now)).toBe(0);
  });
});
