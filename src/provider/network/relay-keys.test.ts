import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { WgPublicKey } from '../../api/schemas/settings/network-relay.js';
import { generateWgKeyPair, wgPublicKey } from './relay-keys.js';

function hasWg(): boolean {
  try {
    execFileSync('wg', ['--version'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}
const wgMissing = !hasWg();

describe('WireGuard keys from node:crypto', () => {
  it('are 32 clamped bytes in base64, and the schema accepts the public key', () => {
    const k = generateWgKeyPair();
    const raw = Buffer.from(k.privateKey, 'base64');
    expect(raw).toHaveLength(32);
    expect(raw[0]! & 7).toBe(0);
    expect(raw[31]! & 0xc0).toBe(0x40);
    expect(WgPublicKey.safeParse(k.publicKey).success).toBe(true);
    expect(k.privateKey).not.toBe(k.publicKey);
  });

  it('refuses something that is not a key', () => {
    expect(() => wgPublicKey('bm90IGEga2V5')).toThrow(/WireGuard key/);
  });

  // CI installs wireguard-tools (.ci/run); elsewhere the format check needs it too.
  it.skipIf(wgMissing && process.env['CI'] !== 'true')('match `wg pubkey` in both directions (ours → wg, wg genkey → ours)', () => {
    for (let i = 0; i < 3; i++) {
      const ours = generateWgKeyPair();
      expect(execFileSync('wg', ['pubkey'], { input: `${ours.privateKey}\n`, timeout: 5_000 }).toString().trim()).toBe(ours.publicKey);
      const theirs = execFileSync('wg', ['genkey'], { timeout: 5_000 }).toString().trim();
      const theirPub = execFileSync('wg', ['pubkey'], { input: `${theirs}\n`, timeout: 5_000 }).toString().trim();
      expect(wgPublicKey(theirs)).toBe(theirPub);
    }
  });
});
