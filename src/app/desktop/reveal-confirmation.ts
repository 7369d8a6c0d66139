import { RigError } from '../../api/errors.js';

/**
 * The OS confirmation before the recovery phrase is shown in the desktop app, whose safeStorage
 * SecretStore has no passphrase to re-enter (issue 4): Touch ID on a Mac that offers it,
 * otherwise a modal window in which the user types the last characters of the wallet address.
 * Everything here is pure; electron/reveal-confirm.ts is the thin Electron side.
 */

/** How many trailing characters of the address the user types. */
export const REVEAL_SUFFIX_LENGTH = 6;
/** Where the confirmation page's form goes; never loaded (the navigation is intercepted), `.invalid` never resolves. */
export const REVEAL_ANSWER_URL = 'https://reveal.riglease.invalid/answer';

export type RevealMethod = 'touch-id' | 'typed-suffix';

export function revealMethod(platform: NodeJS.Platform, canPromptTouchID: boolean): RevealMethod {
  return platform === 'darwin' && canPromptTouchID ? 'touch-id' : 'typed-suffix';
}

/** The characters to type: the address's last REVEAL_SUFFIX_LENGTH (bech32: lower case letters and digits). */
export function revealSuffix(address: string): string {
  if (!/^akash1[02-9ac-hj-np-z]{38,}$/.test(address)) throw new RigError('precondition_failed', 'There is no wallet address to confirm against.', 'Create or import a wallet first.');
  return address.slice(-REVEAL_SUFFIX_LENGTH);
}

/** Whether what the user typed is the address's suffix (spaces around it and letter case do not matter). */
export function revealAnswerMatches(address: string, typed: string): boolean {
  return typed.trim().toLowerCase() === revealSuffix(address);
}

export type RevealAnswer = { kind: 'typed'; typed: string } | { kind: 'cancelled' };

/** The answer carried by a navigation of the confirmation page, or null for any other URL. */
export function revealAnswerFromUrl(url: string): RevealAnswer | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (`${u.origin}${u.pathname}` !== REVEAL_ANSWER_URL) return null;
  if (u.searchParams.has('cancel')) return { kind: 'cancelled' };
  return { kind: 'typed', typed: (u.searchParams.get('suffix') ?? '').slice(0, 64) };
}

export type RevealOutcome = 'confirmed' | 'cancelled' | 'mismatch' | 'touch-id-failed';

export function typedOutcome(address: string, answer: RevealAnswer): RevealOutcome {
  if (answer.kind === 'cancelled') return 'cancelled';
  return revealAnswerMatches(address, answer.typed) ? 'confirmed' : 'mismatch';
}

/** True when confirmed; otherwise the refusal the user sees, saying what to do. */
export function settleReveal(outcome: RevealOutcome): true {
  switch (outcome) {
    case 'confirmed':
      return true;
    case 'cancelled':
      throw new RigError('cancelled', 'The recovery phrase stays hidden: the confirmation was cancelled.', 'Choose Show the phrase again and confirm in the window that opens.');
    case 'mismatch':
      throw new RigError('unauthorized', 'The recovery phrase stays hidden: the characters typed are not the end of this wallet’s address.', `Type the last ${REVEAL_SUFFIX_LENGTH} characters of the address shown on the Wallet screen.`);
    case 'touch-id-failed':
      throw new RigError('unauthorized', 'The recovery phrase stays hidden: Touch ID did not confirm.', 'Try again and touch the sensor, or use your written copy of the phrase.');
  }
}

/** The touch ID prompt's reason line (macOS shows "RigLease is trying to …"). */
export const TOUCH_ID_REASON = 'show the wallet’s recovery phrase';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The confirmation page: a plain form, no script (the window runs with JavaScript off), a CSP that
 * allows nothing but its own inline style and posting to REVEAL_ANSWER_URL. The address is shown
 * with its last characters left out, so they must be read from the Wallet screen, not copied here.
 */
export function revealPageHtml(address: string): string {
  const suffix = revealSuffix(address);
  const shown = `${address.slice(0, -REVEAL_SUFFIX_LENGTH)}${'•'.repeat(suffix.length)}`;
  const csp = `default-src 'none'; style-src 'unsafe-inline'; form-action ${new URL(REVEAL_ANSWER_URL).origin}`;
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}"><title>Confirm: show the recovery phrase</title>
<style>body{font:14px system-ui,sans-serif;margin:20px;color:#222}code{word-break:break-all}input{font:16px monospace;width:9em;padding:4px}.row{margin-top:14px;display:flex;gap:8px}</style></head>
<body><p><strong>Show the recovery phrase?</strong> Anyone who sees it can take this wallet’s funds.</p>
<p>To confirm, type the last ${REVEAL_SUFFIX_LENGTH} characters of this wallet’s address:<br><code>${escapeHtml(shown)}</code></p>
<form method="get" action="${escapeHtml(REVEAL_ANSWER_URL)}"><input name="suffix" autocomplete="off" spellcheck="false" maxlength="${REVEAL_SUFFIX_LENGTH + 10}" autofocus aria-label="Last ${REVEAL_SUFFIX_LENGTH} characters of the address">
<div class="row"><button type="submit">Show the phrase</button><button type="submit" name="cancel" value="1" formnovalidate>Cancel</button></div></form></body></html>`;
}
