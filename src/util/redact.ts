import { REDACTED, redactSecretsInText, type RedactOptions } from './secret-patterns.js';

export { REDACTED, rememberSecretValue } from './secret-patterns.js';

/** Keys whose values are secrets wherever they appear: logs, diagnostics, IPC traces. */
const SECRET_KEY = /(mnemonic|passphrase|password|secret|token|seed|private_?key|privkey|armou?r|keysecret|^key$|authorization|cookie)/i;
/** Twelve or more lower-case words in a row look like a recovery phrase; never print one. */
const MNEMONIC_LIKE = /\b(?:[a-z]{3,8}\s+){11,}[a-z]{3,8}\b/;
/**
 * Keys whose value is a public hash or id (Cosmos tx hash, image digest, container id): a bare
 * 64-hex value there is kept, because it cannot be told apart from a hex key by its looks alone.
 */
const PUBLIC_HASH_KEY = /^(tx_?)?hash$|^digest$|^(container|image)_?id$|^id$/i;
const BARE_HASH = /^(sha256:)?[0-9a-fA-F]{64}$/;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A deep copy with every secret-looking value replaced; long strings are cut. */
export function redact(value: unknown, depth = 0, key = ''): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') {
    if (MNEMONIC_LIKE.test(value)) return REDACTED;
    const cut = value.length > 2000 ? `${value.slice(0, 2000)}…(${value.length} chars)` : value;
    if (PUBLIC_HASH_KEY.test(key) && BARE_HASH.test(cut)) return cut;
    return redactSecretsInText(cut);
  }
  if (Array.isArray(value)) return redactArray(value.slice(0, 50), depth, key);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redact(v, depth + 1, k);
    return out;
  }
  return value;
}

/** An array of words is checked as a whole too: a phrase stored as `["abandon", …]` is still a phrase. */
function redactArray(items: unknown[], depth: number, key: string): unknown[] {
  if (items.length >= 12 && items.every((i) => typeof i === 'string') && redactSecretsInText(items.join(' ')) !== items.join(' ')) {
    return items.map(() => REDACTED);
  }
  return items.map((v) => redact(v, depth + 1, key));
}

/** For free text (log lines from child processes): removes phrases, keys and tokens. */
export function redactText(text: string, opts: RedactOptions = {}): string {
  return redactSecretsInText(text.replace(new RegExp(MNEMONIC_LIKE.source, 'g'), REDACTED), opts);
}
