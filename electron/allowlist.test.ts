import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES } from '../src/api/contract.js';
import { EVENT_NAMES, events } from '../src/api/events.js';
import { buildAllowlists, isChannelName } from './allowlist.js';
import { CHANNEL } from './channels.js';

describe('preload allowlists', () => {
  it('hold exactly the contract methods and events', () => {
    const lists = buildAllowlists(contract, events);
    expect(lists.methods).toEqual([...METHOD_NAMES].sort());
    expect(lists.events).toEqual([...EVENT_NAMES].sort());
  });

  it('never let through a name that is not a dotted API name', () => {
    const lists = buildAllowlists({ 'app.info': 1, __proto__x: 1, constructor: 1, 'a.b c': 1 }, {});
    expect(lists.methods).toEqual(['app.info']);
    expect(isChannelName('wallet.balance')).toBe(true);
    expect(isChannelName('toString')).toBe(false);
  });

  it('the preload uses the same channel names as main', async () => {
    const preload = await readFile(new URL('./preload.cts', import.meta.url), 'utf8');
    for (const channel of Object.values(CHANNEL)) expect(preload).toContain(`'${channel}'`);
    expect(preload).not.toContain('process.env');
  });
});

/** Bundles the preload the way scripts/build.mjs does and runs it against a recording `electron`. */
async function loadPreload() {
  const lists = buildAllowlists(contract, events);
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./preload.cts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    external: ['electron'],
    define: { __RIGLEASE_METHODS__: JSON.stringify(lists.methods), __RIGLEASE_EVENTS__: JSON.stringify(lists.events) },
    logLevel: 'silent',
  });
  const exposed = new Map<string, unknown>();
  const sent: unknown[][] = [];
  const invoked: unknown[][] = [];
  let onEvent: ((e: unknown, name: unknown, payload: unknown) => void) | null = null;
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { ok: true, value: null };
      },
      send: (...args: unknown[]) => sent.push(args),
      on: (channel: string, cb: typeof onEvent) => {
        if (channel === CHANNEL.event) onEvent = cb;
      },
    },
  };
  const fakeRequire = (name: string) => {
    if (name !== 'electron') throw new Error(`the preload required ${name}: it must be one self-contained file`);
    return electron;
  };
  new Function('require', 'module', 'exports', out.outputFiles[0]!.text)(fakeRequire, { exports: {} }, {});
  return { exposed, sent, invoked, emit: (name: string, payload: unknown) => onEvent?.({ sender: 'secret' }, name, payload) };
}

describe('the bundled preload', () => {
  it('exposes exactly window.riglease = {call, on} and needs nothing but electron', async () => {
    const { exposed } = await loadPreload();
    expect([...exposed.keys()]).toEqual(['riglease']);
    expect(Object.keys(exposed.get('riglease') as object).sort()).toEqual(['call', 'on']);
  });

  it('passes contract methods to the one rpc channel and refuses anything else', async () => {
    const { exposed, invoked } = await loadPreload();
    const api = exposed.get('riglease') as { call(m: string, i: unknown): Promise<unknown> };
    await api.call('app.info', {});
    expect(invoked).toEqual([[CHANNEL.rpc, 'app.info', {}]]);
    await expect(api.call('shell.exec', {})).rejects.toThrow(/no API method/);
    expect(invoked).toHaveLength(1);
  });

  it('subscribes once per event, hands listeners only the payload, and unsubscribes after the last', async () => {
    const { exposed, sent, emit } = await loadPreload();
    const api = exposed.get('riglease') as { on(e: string, cb: (...a: unknown[]) => void): () => void };
    const a: unknown[][] = [];
    const offA = api.on('gpu.telemetry', (...args) => a.push(args));
    const offB = api.on('gpu.telemetry', () => undefined);
    expect(sent).toEqual([[CHANNEL.subscribe, 'gpu.telemetry']]);
    emit('gpu.telemetry', { at: 1 });
    expect(a).toEqual([[{ at: 1 }]]);
    offA();
    offB();
    expect(sent).toEqual([[CHANNEL.subscribe, 'gpu.telemetry'], [CHANNEL.unsubscribe, 'gpu.telemetry']]);
    expect(() => api.on('wallet.mnemonic', () => undefined)).toThrow(/no event/);
  });
});
