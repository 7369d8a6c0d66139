import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { contractSchemas } from './contract-schemas.js';
import { dispatch, type Handlers } from './dispatch.js';
import { RigError } from './errors.js';

const info = { name: 'RigLease' as const, version: '1.2.3', host: 'headless' as const, platform: 'linux', home: '/h', demo: false };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const fail = async () => {
    throw new Error('not used in this test');
  };
  const base = new Proxy({} as Handlers, { get: () => fail });
  return Object.assign(Object.create(base) as Handlers, { 'app.info': async () => info }, overrides);
}

describe('dispatch', () => {
  it('refuses an unknown method by name', async () => {
    const env = await dispatch(handlers(), 'wallet.steal', {}, { via: 'http' });
    expect(env).toEqual({ ok: false, error: { code: 'unknown_method', message: 'There is no API method called "wallet.steal".' } });
  });

  it('refuses input that does not match the schema, naming the field', async () => {
    const env = await dispatch(handlers(), 'settings.get', { key: 42 }, { via: 'ipc' });
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('invalid_input');
      expect(env.error.message).toMatch(/^settings\.get: key:/);
    }
  });

  it('strips fields the contract does not name from answers', async () => {
    const leaky = handlers({ 'app.info': async () => ({ ...info, mnemonic: 'never' }) as typeof info });
    const env = await dispatch(leaky, 'app.info', {}, { via: 'http' });
    expect(env).toEqual({ ok: true, value: info });
  });

  it('turns a RigError into its shape and hides internal errors', async () => {
    const h = handlers({
      'settings.get': async () => {
        throw new RigError('not_found', 'There is no setting called x.', 'Run riglease settings get.');
      },
      'settings.all': async () => {
        throw new Error('ENOENT /secret/path');
      },
    });
    expect(await dispatch(h, 'settings.get', { key: 'x' }, { via: 'cli' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'There is no setting called x.', fix: 'Run riglease settings get.' },
    });
    const internal = await dispatch(h, 'settings.all', {}, { via: 'cli' });
    expect(internal.ok).toBe(false);
    if (!internal.ok) expect(internal.error.message).not.toContain('/secret/path');
  });

  it('round-trips through the generic client, which rethrows RigErrors', async () => {
    const h = handlers();
    const client = createClient({ invoke: (m, i) => dispatch(h, m, i, { via: 'internal' }), subscribe: () => () => undefined }, contractSchemas);
    expect(await client.call('app.info', {})).toEqual(info);
    await expect(client.call('settings.get', { key: 'a' })).rejects.toBeInstanceOf(RigError);
  });
});
