import { toBech32 } from '@cosmjs/encoding';
import { describe, expect, it } from 'vitest';
import { RigError } from '../../api/errors.js';
import { REVEAL_ANSWER_URL, revealAnswerFromUrl, revealAnswerMatches, revealMethod, revealPageHtml, revealSuffix, settleReveal, typedOutcome } from './reveal-confirmation.js';

const ADDRESS = toBech32('akash', new Uint8Array(20).fill(42));
const SUFFIX = ADDRESS.slice(-6);
const answer = (q: string) => `${REVEAL_ANSWER_URL}?${q}`;

describe('reveal confirmation (desktop)', () => {
  it('uses Touch ID only on a Mac that offers it', () => {
    expect(revealMethod('darwin', true)).toBe('touch-id');
    expect(revealMethod('darwin', false)).toBe('typed-suffix');
    expect(revealMethod('win32', true)).toBe('typed-suffix');
    expect(revealMethod('linux', false)).toBe('typed-suffix');
  });

  it('accepts exactly the address’s last 6 characters, ignoring spaces around and case', () => {
    expect(revealSuffix(ADDRESS)).toHaveLength(6);
    expect(revealAnswerMatches(ADDRESS, SUFFIX)).toBe(true);
    expect(revealAnswerMatches(ADDRESS, `  ${SUFFIX.toUpperCase()} `)).toBe(true);
    expect(revealAnswerMatches(ADDRESS, SUFFIX.slice(1))).toBe(false);
    expect(revealAnswerMatches(ADDRESS, `x${SUFFIX}`)).toBe(false);
    expect(revealAnswerMatches(ADDRESS, ADDRESS.slice(0, 6))).toBe(false);
    expect(revealAnswerMatches(ADDRESS, '')).toBe(false);
    expect(() => revealSuffix('')).toThrow(/no wallet address/);
  });

  it('reads the answer only from the confirmation form’s own URL', () => {
    expect(revealAnswerFromUrl(answer(`suffix=${SUFFIX}`))).toEqual({ kind: 'typed', typed: SUFFIX });
    expect(revealAnswerFromUrl(answer(`suffix=${SUFFIX}&cancel=1`))).toEqual({ kind: 'cancelled' });
    expect(revealAnswerFromUrl(`https://evil.example/answer?suffix=${SUFFIX}`)).toBeNull();
    expect(revealAnswerFromUrl('not a url')).toBeNull();
    expect(typedOutcome(ADDRESS, { kind: 'typed', typed: SUFFIX })).toBe('confirmed');
    expect(typedOutcome(ADDRESS, { kind: 'typed', typed: 'aaaaaa' })).toBe('mismatch');
    expect(typedOutcome(ADDRESS, { kind: 'cancelled' })).toBe('cancelled');
  });

  it('confirms, or refuses with what to do', () => {
    expect(settleReveal('confirmed')).toBe(true);
    for (const [outcome, code] of [['cancelled', 'cancelled'], ['mismatch', 'unauthorized'], ['touch-id-failed', 'unauthorized']] as const) {
      const err = (() => {
        try {
          settleReveal(outcome);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err).toBeInstanceOf(RigError);
      expect((err as RigError).code).toBe(code);
      expect((err as RigError).fix).toBeTruthy();
    }
  });

  it('the page hides the characters to type, runs no script and may only submit to its answer URL', () => {
    const html = revealPageHtml(ADDRESS);
    expect(html).toContain(ADDRESS.slice(0, -6));
    expect(html).not.toContain(ADDRESS);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`form-action ${new URL(REVEAL_ANSWER_URL).origin}`);
    expect(html).toContain(`action="${REVEAL_ANSWER_URL}"`);
  });
});
