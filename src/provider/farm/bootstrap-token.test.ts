import { describe, expect, it } from 'vitest';
import { createTokenCommand, deleteTokenCommand, parseCreatedToken } from './bootstrap-token.js';

describe('the per-code k3s bootstrap token', () => {
  it('is made with the code\'s lifetime and a description, and read from what k3s prints', () => {
    expect(createTokenCommand(60, 'RigLease join code')).toEqual(['k3s', 'token', 'create', '--ttl', '60m', '--description', 'RigLease join code']);
    const full = `K10${'a'.repeat(64)}::abc123.0123456789abcdef`;
    expect(parseCreatedToken(`${full}\n`)).toEqual({ token: full, id: 'abc123' });
    expect(parseCreatedToken('abc123.0123456789abcdef\n')).toEqual({ token: 'abc123.0123456789abcdef', id: 'abc123' });
  });

  it('never passes for a server or node token', () => {
    expect(() => parseCreatedToken(`K10${'a'.repeat(64)}::server:0f1e2d3c4b5a69788796a5b4c3d2e1f0`)).toThrow(/did not hand out a join token/);
    expect(() => parseCreatedToken('')).toThrow();
  });

  it('deletes only a well-formed id (it goes into a command)', () => {
    expect(deleteTokenCommand('abc123')).toEqual(['k3s', 'token', 'delete', 'abc123']);
    expect(() => deleteTokenCommand('abc; rm -rf /')).toThrow(/not a join token id/);
  });
});
