// The word list alone: @cosmjs/crypto (which re-exports it) brings its curves, hashes and WASM
// with it (~4 MiB resident), and every agent redacts its log lines from the first one.
import { wordlist as bip39English } from '@scure/bip39/wordlists/english';
import { redactUrlSecrets } from './url-secrets.js';

/**
 * Free-text secret detectors shared by the logger, child-process log lines and the
 * diagnostics bundle. Each replaces only the secret part, so the line around it stays useful.
 * Over-redaction is acceptable; a leak is not.
 */

export const REDACTED = '[redacted]';

const BIP39 = new Set(bip39English);
/** A BIP-39 phrase has 12–24 words; a run of 12 list words in a row is treated as one. */
const MIN_PHRASE_WORDS = 12;
/**
 * Between two words of a phrase: anything that is not a letter, up to 24 characters, so
 * `"abandon", "ability"` (JSON arrays, even pretty-printed) and `1. abandon\n2. ability` count.
 */
const WORD_OR_GAP = /[A-Za-z]+|[^A-Za-z]+/g;
const MAX_GAP = 24;

/**
 * Replaces every run of ≥ 12 consecutive BIP-39 English words (any case, any separators). With
 * `keepLayout`, each word becomes [redacted] and the separators stay, so a text redacted across
 * its lines keeps every line (a phrase written one word per line).
 */
export function redactMnemonics(text: string, keepLayout = false): string {
  const parts = text.match(WORD_OR_GAP);
  if (!parts) return text;
  const out: string[] = [];
  let run: string[] = [];
  let words = 0;
  let pendingGap: string | null = null;
  const flush = () => {
    if (words >= MIN_PHRASE_WORDS && keepLayout) out.push(...run.map((p) => (/^[A-Za-z]/.test(p) ? REDACTED : p)));
    else if (words >= MIN_PHRASE_WORDS) out.push(REDACTED);
    else out.push(...run);
    run = [];
    words = 0;
  };
  for (const part of parts) {
    if (/^[A-Za-z]/.test(part)) {
      if (BIP39.has(part.toLowerCase())) {
        if (pendingGap !== null) {
          if (words > 0) run.push(pendingGap);
          else out.push(pendingGap);
          pendingGap = null;
        }
        run.push(part);
        words++;
        continue;
      }
      if (pendingGap !== null) {
        flush();
        out.push(pendingGap);
        pendingGap = null;
      } else flush();
      out.push(part);
      continue;
    }
    // A gap: it joins two list words only when short; a long gap ends the run.
    if (pendingGap !== null) pendingGap += part;
    else pendingGap = part;
    if (pendingGap.length > MAX_GAP || /\n\s*\n/.test(pendingGap)) {
      flush();
      out.push(pendingGap);
      pendingGap = null;
    }
  }
  flush();
  if (pendingGap !== null) out.push(pendingGap);
  return out.join('');
}

interface Rule {
  name: string;
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}

const RULES: Rule[] = [
  // PEM private keys (provider certificate key, armored Cosmos keys). Certificates stay.
  {
    name: 'pem-private-key',
    pattern: /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY|TENDERMINT PRIVATE KEY)-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: REDACTED,
  },
  // k3s join tokens: K10<ca hash>::<user>:<password>, and the short form <id>.<secret>.
  { name: 'k3s-join-token', pattern: /K10[0-9a-fA-F]{16,}::[A-Za-z0-9_-]+:[A-Za-z0-9._\-/+=]+/g, replace: REDACTED },
  // Farm join codes (k3s token + pairing secret inside): RLJ<version>.<base64url>.<checksum>.
  { name: 'farm-join-code', pattern: /\bRLJ\d{1,3}\.[A-Za-z0-9_-]{16,}(?:\.[0-9a-fA-F]{8})?/g, replace: REDACTED },
  // The fleet API's credential header: pairing secrets and machine keys.
  { name: 'fleet-secret', pattern: /\b(RigLease-Fleet)\s+[A-Za-z0-9_-]{8,}/g, replace: (_m, scheme: string) => `${scheme} ${REDACTED}` },
  // Authorization headers: `Bearer …`, `Basic …`.
  { name: 'bearer', pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, replace: (_m, scheme: string) => `${scheme} ${REDACTED}` },
  // JSON web tokens wherever they stand.
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: REDACTED },
  // Command-line flags: `--token X`, `--passphrase X`.
  {
    name: 'secret-flag',
    pattern: /(--[A-Za-z-]*(?:token|secret|password|passphrase|key|mnemonic)[ \t]+)([^\s"']{6,})/gi,
    replace: (_m, head: string) => `${head}${REDACTED}`,
  },
  // key=value / key: value / "key":"value" for secret-looking keys (server token in URLs, api keys).
  {
    name: 'secret-assignment',
    pattern:
      /((?:[A-Za-z0-9_-]*(?:token|secret|password|passphrase|api[_-]?key|apikey|access[_-]?key|private[_-]?key|privkey|mnemonic|seed|auth)[A-Za-z0-9_-]*)["']?\s*[=:]\s*["']?)([^\s"'&,;)}\]]{6,})/gi,
    replace: (_m, head: string, value: string) => (value === REDACTED || value.startsWith('[redacted') ? `${head}${value}` : `${head}${REDACTED}`),
  },
];

/**
 * PEM private key blocks across lines (a text read line by line would otherwise only lose the
 * BEGIN line and keep the key's base64 body). Up to the END line, or to the end of the text.
 */
export function redactPemPrivateKeys(text: string): string {
  const rule = RULES.find((r) => r.name === 'pem-private-key')!;
  return text.replace(new RegExp(rule.pattern.source, 'g'), REDACTED);
}

/**
 * What only shows across lines: PEM private keys and recovery phrases written one word per
 * line. Run on a whole text before it is redacted line by line; every line is kept.
 */
export function redactAcrossLines(text: string): string {
  return redactMnemonics(redactPemPrivateKeys(text), true);
}

/** Exact values the agent knows are secret at run time (the server's access token). */
const knownValues = new Set<string>();

/** Registers a value that must never appear in a log line or a diagnostics bundle. */
export function rememberSecretValue(value: string): void {
  if (value.length >= 8) knownValues.add(value);
}

export function forgetSecretValue(value: string): void {
  knownValues.delete(value);
}

/**
 * Hex private keys: 64 (or 128) hex characters. Kept: `sha256:<hex>` digests and upper-case
 * hashes right after "tx"/"hash" (Cosmos tx hashes are public). Otherwise a 64-hex run cannot
 * be told from a container id by its looks, so:
 * - strict (the diagnostics bundle, which leaves the machine): every other one goes;
 * - lenient (live logs, shown on this machine): `0x…`, a string that is nothing but the hex,
 *   or one within a few characters after key/priv/secret/seed/signer/sk/hex.
 */
const HEX_KEY = /(sha256:|(?:tx|hash|transaction)\W{0,12})?(?:(\b0x)|\b)([0-9a-fA-F]{64}(?:[0-9a-fA-F]{64})?)\b/gi;
const KEY_CONTEXT = /(key|priv|secret|seed|signer|mnemonic|\bsk\b|hex)/i;

export function redactHexKeys(text: string, strict: boolean): string {
  const whole = text.trim().replace(/^["']|["']$/g, '');
  return text.replace(HEX_KEY, (match: string, keep: string | undefined, prefix: string | undefined, hex: string, offset: number) => {
    if (keep?.toLowerCase() === 'sha256:') return match;
    if (keep && !prefix && hex === hex.toUpperCase()) return match;
    const secret = strict || prefix !== undefined || whole === `${prefix ?? ''}${hex}` || KEY_CONTEXT.test(text.slice(Math.max(0, offset - 24), offset));
    return secret ? `${keep ?? ''}${REDACTED}` : match;
  });
}

export interface RedactOptions {
  /** Every bare 64-hex run counts as a key (for what leaves the machine). */
  strictHex?: boolean;
}

/** Applies every detector: known values, patterns, hex keys, then recovery phrases. */
export function redactSecretsInText(text: string, opts: RedactOptions = {}): string {
  let out = text;
  for (const value of knownValues) if (out.includes(value)) out = out.split(value).join(REDACTED);
  // Phrases first: a list word such as "basic" or "token" starts a header/token rule, which would
  // cut the run of words short, and the rest of the phrase would then be too short to be found.
  out = redactMnemonics(out);
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: string[]) => string);
  }
  out = redactUrlSecrets(out);
  return redactHexKeys(out, opts.strictHex ?? false);
}
