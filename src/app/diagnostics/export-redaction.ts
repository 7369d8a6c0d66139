import { REDACTED, isSecretKey, redactText as redactLiveText } from '../../util/redact.js';
import { redactAcrossLines } from '../../util/secret-patterns.js';

/** The bundle leaves the machine: every bare 64-hex run is treated as a possible key. */
const redactText = (text: string): string => redactLiveText(text, { strictHex: true });

/**
 * Redaction for the diagnostics bundle. Same rules as the logger (src/util/redact.ts: secret
 * key names, recovery phrases, hex keys, tokens, k3s join tokens), but nothing is truncated:
 * the bundle keeps every line, just without the secrets.
 */

/** Public hashes and ids (Cosmos tx hash, image digest, container id) keep their value; see redact.ts. */
const PUBLIC_HASH_KEY = /^(tx_?)?hash$|^digest$|^(container|image)_?id$|^id$/i;
const BARE_HASH = /^(sha256:)?[0-9a-fA-F]{64}$/;

export function redactJsonValue(value: unknown, key = '', depth = 0): unknown {
  if (depth > 32) return REDACTED;
  if (typeof value === 'string') {
    if (PUBLIC_HASH_KEY.test(key) && BARE_HASH.test(value)) return value;
    return redactText(value);
  }
  if (Array.isArray(value)) {
    // A phrase saved as an array of words is a phrase too.
    if (value.length >= 12 && value.every((v) => typeof v === 'string')) {
      const joined = value.join(' ');
      if (redactText(joined) !== joined) return value.map(() => REDACTED);
    }
    return value.map((v) => redactJsonValue(v, key, depth + 1));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && v !== null && v !== '' ? REDACTED : redactJsonValue(v, k, depth + 1);
    return out;
  }
  return value;
}

/** One file's text, redacted by its kind: JSON as a tree, JSON-lines line by line, anything else as text. */
export function redactFileText(name: string, text: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json') || /\.json\.corrupt-/.test(lower)) {
    try {
      return `${JSON.stringify(redactJsonValue(JSON.parse(text)), null, 2)}\n`;
    } catch {
      return redactText(text);
    }
  }
  // A multi-line PEM key, and a phrase written one word per line, go as a whole first: line by
  // line, only the key's BEGIN line would, and no single word is a phrase.
  return redactAcrossLines(text)
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
        try {
          return JSON.stringify(redactJsonValue(JSON.parse(trimmed)));
        } catch {
          // Not JSON after all: treat it as text.
        }
      }
      return redactText(line);
    })
    .join('\n');
}
