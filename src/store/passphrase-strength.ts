import { createRequire } from 'node:module';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { RigError } from '../api/errors.js';

/**
 * zxcvbn's score runs 0–4; 3 ("safely unguessable: moderate protection from offline attacks")
 * is the lowest that still holds once a stolen secrets folder can be attacked offline.
 */
const MIN_SCORE = 3;
const MIN_LENGTH = 8;

/** The estimator's feedback keys, in plain words (language-common ships keys, not sentences). */
const WARNINGS: Record<string, string> = {
  straightRow: 'a straight row of keys is easy to guess',
  keyPattern: 'a short keyboard pattern is easy to guess',
  simpleRepeat: 'repeated characters like "aaa" are easy to guess',
  extendedRepeat: 'repeated groups like "abcabc" are easy to guess',
  sequences: 'sequences like "abc" or "6543" are easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
  topTen: 'it is one of the ten most used passwords',
  topHundred: 'it is one of the hundred most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is very close to a commonly used password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'a single name is easy to guess',
  commonNames: 'common names are easy to guess',
  userInputs: 'it contains personal or page-related words',
  pwned: 'it appeared in a data breach',
};
const SUGGESTIONS: Record<string, string> = {
  l33t: 'swapping letters for look-alike digits ("@" for "a") does not help much',
  reverseWords: 'a common word spelt backwards does not help much',
  allUppercase: 'capitalize some letters, not all',
  capitalization: 'capitalize more than the first letter',
  dates: 'avoid dates and years that are linked to you',
  recentYears: 'avoid recent years',
  associatedYears: 'avoid years that are linked to you',
  sequences: 'avoid common character sequences',
  repeated: 'avoid repeated words and characters',
  longerKeyboardPattern: 'use longer keyboard patterns and change typing direction several times',
  anotherWord: 'add more words that are less common',
  useWords: 'use several words, but avoid common phrases',
  noNeed: 'symbols, digits or capitals are not needed; length is',
  pwned: 'choose a passphrase you have not used anywhere else',
};

let estimator: ZxcvbnFactory | null = null;

export interface StrengthVerdict {
  ok: boolean;
  score: number;
  /** Why it was refused, in plain words; empty when ok. */
  reason: string;
}

/**
 * The estimator and its dictionaries (~4 MiB resident once parsed) load when a passphrase is
 * first checked, not at start: most agents never set one. Both packages ship CommonJS builds,
 * so a synchronous require keeps the check synchronous.
 */
function loadEstimator(): ZxcvbnFactory {
  const load = createRequire(import.meta.url);
  const core = load('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  const common = load('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  return new core.ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
}

/** Estimates how hard `candidate` is to guess; `userInputs` (the address, the app name) count against it. */
export function passphraseStrength(candidate: string, userInputs: string[] = []): StrengthVerdict {
  if (candidate.length < MIN_LENGTH) return { ok: false, score: 0, reason: `it has ${candidate.length} characters; at least ${MIN_LENGTH} are needed` };
  estimator ??= loadEstimator();
  const result = estimator.check(candidate, userInputs);
  if (result.score >= MIN_SCORE) return { ok: true, score: result.score, reason: '' };
  const warning = result.feedback.warning ? WARNINGS[result.feedback.warning] : undefined;
  const tips = result.feedback.suggestions.map((s) => SUGGESTIONS[s]).filter((s): s is string => s !== undefined);
  const why = warning ?? 'it would be guessed too quickly by someone who copies the secrets folder';
  return { ok: false, score: result.score, reason: tips.length > 0 ? `${why}; ${tips.join('; ')}` : why };
}

/** Throws a RigError that says why a new passphrase is too weak, in the estimator's words. */
export function requireStrongPassphrase(candidate: string): void {
  const verdict = passphraseStrength(candidate);
  if (!verdict.ok) {
    throw new RigError(
      'invalid_input',
      `This passphrase is too easy to guess: ${verdict.reason}.`,
      'Choose a longer passphrase of several uncommon words, e.g. four words you picked at random (set RIGLEASE_PASSPHRASE or type it at the prompt). Nothing was saved.',
    );
  }
}
