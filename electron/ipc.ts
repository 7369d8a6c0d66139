import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { dispatch } from '../src/api/dispatch.js';
import type { Envelope } from '../src/api/envelope.js';
import type { Agent } from '../src/app/agent.js';
import type { Logger } from '../src/util/logger.js';
import { CHANNEL } from './channels.js';
import { SubscriptionTable } from './ipc-subscriptions.js';
import { isTrustedSender, type TrustedSenders } from './sender-check.js';


const REFUSED: Envelope = { ok: false, error: { code: 'forbidden', message: 'This page may not call the RigLease agent.' } };

function trusted(event: IpcMainEvent | IpcMainInvokeEvent, senders: TrustedSenders): boolean {
  const frame = event.senderFrame;
  return isTrustedSender({ frameUrl: frame?.url, isMainFrame: frame !== null && frame.parent === null, webContentsId: event.sender.id }, senders);
}

/**
 * Binds the whole contract to IPC with ONE `rpc` handler (no per-method code): sender check,
 * then the shared dispatch loop (method known → input parses → handler → output checked →
 * envelope). Events go only to webContents that asked for them, while they exist.
 * Returns the function that unbinds everything (on quit).
 */
export function bindIpc(agent: Pick<Agent, 'handlers' | 'hub'>, senders: TrustedSenders, logger: Logger): () => void {
  const table = new SubscriptionTable(agent.hub);
  const watched = new Set<number>();

  const watch = (wc: WebContents) => {
    if (watched.has(wc.id)) return;
    watched.add(wc.id);
    const drop = () => table.drop(wc.id);
    wc.once('destroyed', () => {
      drop();
      watched.delete(wc.id);
    });
    wc.on('render-process-gone', drop);
    // A reload or navigation starts a fresh page with no listeners: forget the old ones.
    wc.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) drop();
    });
  };

  ipcMain.handle(CHANNEL.rpc, async (event, method: unknown, input: unknown): Promise<Envelope> => {
    if (!trusted(event, senders)) {
      logger.warn('refused an IPC call from an untrusted sender', { url: event.senderFrame?.url?.slice(0, 200) });
      return REFUSED;
    }
    return dispatch(agent.handlers, method, input, { via: 'ipc' }, {
      onError: (m, err) => logger.warn('call failed', { method: m, error: err instanceof Error ? err.message : String(err) }),
    });
  });

  ipcMain.on(CHANNEL.subscribe, (event, name: unknown) => {
    if (!trusted(event, senders)) return;
    const wc = event.sender;
    watch(wc);
    const ok = table.subscribe(wc.id, name, (eventName, payload) => {
      if (!wc.isDestroyed()) wc.send(CHANNEL.event, eventName, payload);
    });
    if (!ok) logger.warn('refused a subscription to an unknown event', { event: String(name).slice(0, 100) });
  });

  ipcMain.on(CHANNEL.unsubscribe, (event, name: unknown) => {
    if (!trusted(event, senders)) return;
    table.unsubscribe(event.sender.id, name);
  });

  return () => {
    ipcMain.removeHandler(CHANNEL.rpc);
    ipcMain.removeAllListeners(CHANNEL.subscribe);
    ipcMain.removeAllListeners(CHANNEL.unsubscribe);
    table.dropAll();
  };
}
