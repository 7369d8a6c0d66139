/** Keys whose values are secrets wherever they appear: logs, diagnostics, IPC traces. */
const SECRET_KEY = /(mnemonic|passphrase|password|secret|token|seed|private_?key|privkey|armou?r|keysecret|^key$|authorization|cookie)/i;
/** Twelve or more lower-case words in a row look like a recovery phrase; never print one. */
const MNEMONIC_LIKE = /\b(?:[a-z]{3,8}\s+){11,}[a-z]{3,8}\b/;

export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A deep copy with every secret-looking value replaced; long strings are cut. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') {
    if (MNEMONIC_LIKE.test(value)) return REDACTED;
    return value.length > 2000 ? `${value.slice(0, 2000)}…(${value.length} chars)` : value;
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redact(v, depth + 1);
    return out;
  }
  return value;
}

/** For free text (log lines from child processes): removes anything that looks like a phrase. */
export function redactText(text: string): string {
  return text.replace(new RegExp(MNEMONIC_LIKE.source, 'g'), REDACTED);
}
