// The whole bridge between the page and the agent: exactly one object, two functions. Names are
// checked against allowlists baked in from the contract at build time (scripts/build.mjs);
// inputs are validated in main, where the page cannot get around it. Bundled as one CJS file
// so it runs under `sandbox: true`. Never expose ipcRenderer, process or a generic send.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the sandboxed preload is CommonJS; `import =` compiles to the one require it may do
import electron = require('electron');

declare const __RIGLEASE_METHODS__: readonly string[];
declare const __RIGLEASE_EVENTS__: readonly string[];

const METHODS = new Set<string>(__RIGLEASE_METHODS__);
const EVENTS = new Set<string>(__RIGLEASE_EVENTS__);
const listeners = new Map<string, Set<(payload: unknown) => void>>();

// Only the event name and payload are passed on: the IPC event object (and its sender) stays here.
electron.ipcRenderer.on('rpc:event', (_ipcEvent, event: unknown, payload: unknown) => {
  for (const cb of [...(listeners.get(String(event)) ?? [])]) cb(payload);
});

electron.contextBridge.exposeInMainWorld('riglease', {
  call: (method: string, input: unknown): Promise<unknown> =>
    METHODS.has(method) ? electron.ipcRenderer.invoke('rpc', method, input) : Promise.reject(new Error(`There is no API method called ${String(method)}.`)),
  on: (event: string, cb: (payload: unknown) => void): (() => void) => {
    if (!EVENTS.has(event) || typeof cb !== 'function') throw new Error(`There is no event called ${String(event)}.`);
    const set = listeners.get(event) ?? new Set<(payload: unknown) => void>();
    if (set.size === 0) electron.ipcRenderer.send('rpc:subscribe', event);
    listeners.set(event, set);
    set.add(cb);
    return () => {
      if (set.delete(cb) && set.size === 0) {
        listeners.delete(event);
        electron.ipcRenderer.send('rpc:unsubscribe', event);
      }
    };
  },
});
