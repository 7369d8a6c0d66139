import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as EarlyCalls from './early-calls.js';
import type * as Http from './http-transport.js';

/**
 * The early calls as a screen meets them: boot.ts starts them, the HTTP transport's calls take
 * them. The agent is a stubbed `fetch` that numbers its answers per method, so each check can see
 * whether a screen got the answer asked at load (#1) or asked the agent again (#2).
 *
 * Vitest runs in Node, where the page's `window` does not exist: an EventTarget stands in for it
 * before the module registers its hashchange listener, and goes again after this file.
 */
const hadWindow = 'window' in globalThis;
const page = new EventTarget();
let early: typeof EarlyCalls;
let http: typeof Http;

/** What the stand-in agent was asked, in order. */
let asked: string[] = [];
/** Methods whose next request fails as a network error would (the agent not reachable yet). */
let unreachable = new Set<string>();
/** Methods the stand-in agent has not answered yet: each waits until `answer(method)`. */
let held = new Map<string, () => void>();
const answer = (method: string) => held.get(method)?.();
/** Methods whose next request is held (see `held`). */
const holdNext = new Set<string>();

beforeAll(async () => {
  if (!hadWindow) Object.defineProperty(globalThis, 'window', { value: page, configurable: true });
  early = await import('./early-calls.js');
  http = await import('./http-transport.js');
});
afterAll(() => {
  if (!hadWindow) Reflect.deleteProperty(globalThis, 'window');
});

beforeEach(() => {
  asked = [];
  unreachable = new Set();
  held = new Map();
  vi.stubGlobal('fetch', async (_url: string, init: { body: string }) => {
    const { method } = JSON.parse(init.body) as { method: string };
    asked.push(method);
    if (holdNext.delete(method)) await new Promise<void>((resolve) => held.set(method, resolve));
    if (unreachable.delete(method)) throw new TypeError('Failed to fetch');
    const n = asked.filter((m) => m === method).length;
    return new Response(JSON.stringify({ ok: true, value: { answer: n } }), { status: 200 });
  });
});
afterEach(() => {
  // Whatever a test left behind is not the next one's first screen.
  page.dispatchEvent(new Event('hashchange'));
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

// Each test loads its own page on its own origin, so no answer left by another test can match.
let origins = 0;
function loadPage(calls: readonly (readonly [string, unknown])[]): Http.HttpTransport {
  const baseUrl = `http://127.0.0.1:${7000 + ++origins}/`;
  early.startEarlyCalls(new URL(early.RPC_PATH, baseUrl).toString(), 'tok', calls, early.CALL_TIMEOUT_MS);
  return http.createHttpTransport({ baseUrl, token: () => 'tok' });
}
const userNavigates = () => page.dispatchEvent(new Event('hashchange'));

describe('early calls: the answers asked at load go to the first screen, once', () => {
  it('the first screen that asks the same call gets the early answer; the next ask goes to the agent', async () => {
    const t = loadPage([['app.info', {}], ['settings.get', { key: 'general.theme' }]]);
    expect(asked).toEqual(['app.info', 'settings.get']);
    expect(await t.invoke('app.info', {})).toEqual({ ok: true, value: { answer: 1 } });
    expect(await t.invoke('settings.get', { key: 'general.theme' })).toEqual({ ok: true, value: { answer: 1 } });
    // A refresh never gets the load's answer again.
    expect(await t.invoke('app.info', {})).toEqual({ ok: true, value: { answer: 2 } });
    expect(asked).toEqual(['app.info', 'settings.get', 'app.info']);
  });

  it('matches the input by value: the same method with another input asks the agent', async () => {
    const t = loadPage([['settings.get', { key: 'general.theme' }]]);
    expect(await t.invoke('settings.get', { key: 'chain.network' })).toEqual({ ok: true, value: { answer: 2 } });
    expect(await t.invoke('settings.get', { key: 'general.theme' })).toEqual({ ok: true, value: { answer: 1 } });
  });

  it('a call started twice at load (status line and landing) answers two asks, then the agent is asked', async () => {
    const t = loadPage([['rig.status', {}], ['rig.status', {}]]);
    const answers = await Promise.all([t.invoke('rig.status', {}), t.invoke('rig.status', {}), t.invoke('rig.status', {})]);
    expect(answers.map((a) => (a as { value: { answer: number } }).value.answer).sort()).toEqual([1, 2, 3]);
    expect(asked).toEqual(['rig.status', 'rig.status', 'rig.status']);
  });

  it('a hashchange made by the person drops every unused answer: the next screen asks afresh', async () => {
    const t = loadPage([['app.info', {}], ['dashboard.summary', {}]]);
    expect(await t.invoke('app.info', {})).toEqual({ ok: true, value: { answer: 1 } });
    userNavigates();
    expect(await t.invoke('dashboard.summary', {})).toEqual({ ok: true, value: { answer: 2 } });
    expect(asked).toEqual(['app.info', 'dashboard.summary', 'dashboard.summary']);
  });

  it("the shell's landing redirect keeps them for the screen it lands on; the person's next hashchange drops them", async () => {
    const t = loadPage([['dashboard.summary', {}], ['rig.status', {}]]);
    early.keepEarlyCallsForLanding();
    userNavigates(); // the redirect from the bare URL to the Dashboard
    expect(await t.invoke('dashboard.summary', {})).toEqual({ ok: true, value: { answer: 1 } });
    userNavigates(); // now the person goes elsewhere
    expect(await t.invoke('rig.status', {})).toEqual({ ok: true, value: { answer: 2 } });
  });

  it('an early call that failed is reported once to the screen that took it; the next ask reaches the agent', async () => {
    unreachable.add('app.info');
    const t = loadPage([['app.info', {}]]);
    expect(await t.invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await t.invoke('app.info', {})).toEqual({ ok: true, value: { answer: 2 } });
  });

  it('an early call that failed and was never taken is gone after the person navigates', async () => {
    unreachable.add('rig.status');
    const t = loadPage([['rig.status', {}]]);
    userNavigates();
    expect(await t.invoke('rig.status', {})).toEqual({ ok: true, value: { answer: 2 } });
  });

  it('an answer nobody took within 5 s is dropped, so a late first ask still reaches the agent', async () => {
    vi.useFakeTimers();
    const t = loadPage([['rig.status', {}], ['app.info', {}]]);
    vi.advanceTimersByTime(4_900);
    expect(await t.invoke('app.info', {})).toEqual({ ok: true, value: { answer: 1 } });
    vi.advanceTimersByTime(200);
    expect(await t.invoke('rig.status', {})).toEqual({ ok: true, value: { answer: 2 } });
  });
});

describe('answers already in: the first screen draws with them', () => {
  /** Lets every settled fetch and json() reach the page's callbacks. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  };

  it('an answer that has come back is handed over at once, once; one still on its way is not', async () => {
    holdNext.add('dashboard.summary');
    const t = loadPage([['app.info', {}], ['dashboard.summary', {}]]);
    await settle();
    expect(t.invokeArrived?.('app.info', {})).toEqual({ ok: true, value: { answer: 1 } });
    expect(t.invokeArrived?.('app.info', {})).toBeUndefined();
    // Not in yet: nothing is handed over, and the screen's call still gets the load's answer.
    expect(t.invokeArrived?.('dashboard.summary', {})).toBeUndefined();
    const later = t.invoke('dashboard.summary', {});
    answer('dashboard.summary');
    expect(await later).toEqual({ ok: true, value: { answer: 1 } });
    expect(asked).toEqual(['app.info', 'dashboard.summary']);
  });

  it('a failed early call is handed over as the error the screen would have got', async () => {
    unreachable.add('rig.status');
    const t = loadPage([['rig.status', {}]]);
    await settle();
    expect(t.invokeArrived?.('rig.status', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('the first render waits for the answers still on their way, but no longer than it was given', async () => {
    holdNext.add('rig.status');
    loadPage([['app.info', {}], ['rig.status', {}]]);
    let ready = false;
    void early.earlyCallsArrived(10_000).then(() => (ready = true));
    await settle();
    expect(ready).toBe(false);
    answer('rig.status');
    await settle();
    expect(ready).toBe(true);

    holdNext.add('dashboard.summary');
    loadPage([['dashboard.summary', {}]]);
    const started = Date.now();
    await early.earlyCallsArrived(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    answer('dashboard.summary');
  });
});
