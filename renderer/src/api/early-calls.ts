/**
 * The agent calls every page load makes leave before React and the screens have been parsed
 * and run (a few hundred ms on a small machine), so the agent reads the rig while the page
 * starts instead of after its first render. `boot.ts` starts them; the HTTP transport's first
 * matching call takes the answer instead of asking again. Each is taken once (a call two parts
 * of the page make is started twice); one not taken soon is dropped, so no later call (a
 * refresh) gets an old answer. An answer that is already in when the first screen draws is handed
 * over at once (`takeArrivedEarlyCall`), so that screen draws with its data instead of a placeholder.
 */

/** What one `POST /api/rpc` came back with: the HTTP status and the parsed body, or no answer. */
export type RpcAnswer = { kind: 'answer'; status: number; body: unknown } | { kind: 'failed'; timedOut: boolean };

/** Where calls go, on the page's own origin. */
export const RPC_PATH = '/api/rpc';
/** A call that takes longer is given up (the scan itself has its own, shorter timeout). */
export const CALL_TIMEOUT_MS = 120_000;

/** Unused early answers are dropped this long after they were asked for. */
const KEEP_MS = 5_000;

const early = new Map<string, Promise<RpcAnswer>[]>();
/** The early answers that have come back, by the promise that carried them. */
const arrived = new WeakMap<Promise<RpcAnswer>, RpcAnswer>();
const keyOf = (rpcUrl: string, method: string, input: unknown) => `${rpcUrl} ${method} ${JSON.stringify(input)}`;

export async function postRpc(rpcUrl: string, token: string | null, method: string, input: unknown, timeoutMs: number): Promise<RpcAnswer> {
  let res: Response;
  try {
    res = await fetch(rpcUrl, {
      method: 'POST',
      credentials: 'omit',
      headers: token === null ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ method, input }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { kind: 'failed', timedOut: err instanceof DOMException && err.name === 'TimeoutError' };
  }
  const body: unknown = await res.json().catch(() => null);
  return { kind: 'answer', status: res.status, body };
}

/** Asks each call now; the answers wait for `takeEarlyCall`. */
export function startEarlyCalls(rpcUrl: string, token: string | null, calls: readonly (readonly [method: string, input: unknown])[], timeoutMs: number): void {
  for (const [method, input] of calls) {
    const key = keyOf(rpcUrl, method, input);
    const answer = postRpc(rpcUrl, token, method, input, timeoutMs);
    void answer.then((a) => arrived.set(answer, a));
    const queue = early.get(key) ?? [];
    queue.push(answer);
    early.set(key, queue);
    setTimeout(() => drop(key, answer), KEEP_MS);
  }
}

/** The early answer for this call, once; undefined when none was asked (or it was taken). */
export function takeEarlyCall(rpcUrl: string, method: string, input: unknown): Promise<RpcAnswer> | undefined {
  const key = keyOf(rpcUrl, method, input);
  const answer = early.get(key)?.[0];
  if (answer) drop(key, answer);
  return answer;
}

/** Like `takeEarlyCall`, but only an answer that has already come back; undefined otherwise. */
export function takeArrivedEarlyCall(rpcUrl: string, method: string, input: unknown): RpcAnswer | undefined {
  const key = keyOf(rpcUrl, method, input);
  const promise = early.get(key)?.find((p) => arrived.has(p));
  if (!promise) return undefined;
  drop(key, promise);
  return arrived.get(promise);
}

/**
 * Resolves once every early call still waiting has its answer, or after `maxWaitMs`, whichever
 * comes first. The page draws its first screen then: the answers have usually reached the browser
 * while the shell's JavaScript ran, and a first render with them shows the data, not placeholders.
 */
export function earlyCallsArrived(maxWaitMs: number): Promise<void> {
  const waiting = [...early.values()].flat().filter((p) => !arrived.has(p));
  if (waiting.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxWaitMs);
    void Promise.all(waiting).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The answers belong to the screen the page opened on. Once the person goes elsewhere (a link, the
 * address bar, a button), what was asked at load may no longer be true (a lease reclaimed since),
 * so every unused one is dropped. The shell's own landing redirect (the bare URL to the Dashboard)
 * is still the first screen and keeps them: it calls `keepEarlyCallsForLanding` just before.
 */
let landingRedirect = false;
export function keepEarlyCallsForLanding(): void {
  landingRedirect = true;
}
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    if (landingRedirect) landingRedirect = false;
    else early.clear();
  });
}

function drop(key: string, answer: Promise<RpcAnswer>): void {
  const rest = (early.get(key) ?? []).filter((a) => a !== answer);
  if (rest.length > 0) early.set(key, rest);
  else early.delete(key);
}
