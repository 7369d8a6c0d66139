import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What main knows about the sender of an IPC message (from `event.senderFrame` and `event.sender`). */
export interface SenderFacts {
  /** `event.senderFrame?.url`; null when the frame is gone. */
  frameUrl: string | null | undefined;
  /** True when the frame is the top-level frame of its page (no iframes, ever). */
  isMainFrame: boolean;
  webContentsId: number;
}

export interface TrustedSenders {
  /** file:// URL of dist/renderer/index.html. */
  rendererUrl: string;
  /** webContents ids of the windows we created. */
  windowIds: ReadonlySet<number>;
}

export function rendererFileUrl(indexHtml: string): string {
  return pathToFileURL(path.resolve(indexHtml)).href;
}

/**
 * Only our own page in our own window may call the agent (GitHub Desktop's trusted-ipc-sender):
 * the main frame, loaded from our renderer file (any #route or ?query), in a window we made.
 */
export function isTrustedSender(sender: SenderFacts, trusted: TrustedSenders): boolean {
  if (!trusted.windowIds.has(sender.webContentsId)) return false;
  if (!sender.isMainFrame) return false;
  if (!sender.frameUrl) return false;
  return isOwnRendererUrl(sender.frameUrl, trusted.rendererUrl);
}

/** Same file:// document as the renderer; a hash or query (client-side routes) does not matter. */
export function isOwnRendererUrl(candidate: string, rendererUrl: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(candidate);
    b = new URL(rendererUrl);
  } catch {
    return false;
  }
  return a.protocol === 'file:' && b.protocol === 'file:' && a.host === b.host && decodeURIComponent(a.pathname) === decodeURIComponent(b.pathname);
}
