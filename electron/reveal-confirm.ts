import { BrowserWindow, systemPreferences } from 'electron';
import { revealAnswerFromUrl, revealMethod, revealPageHtml, settleReveal, TOUCH_ID_REASON, typedOutcome, type RevealOutcome } from '../src/app/desktop/reveal-confirmation.js';
import type { Logger } from '../src/util/logger.js';

/**
 * The OS confirmation before a reveal (the safeStorage store has no passphrase): Touch ID when the
 * Mac offers it, else a modal window asking for the address's last characters. Thin: every
 * decision is in src/app/desktop/reveal-confirmation.ts. Passed to the Agent as `confirmReveal`.
 */
export function osRevealConfirmation(parent: () => BrowserWindow | null, logger: Logger): (passphrase: string, address: string) => Promise<boolean> {
  return async (_passphrase, address) => {
    const touch = process.platform === 'darwin' && systemPreferences.canPromptTouchID();
    if (revealMethod(process.platform, touch) === 'touch-id') {
      const outcome: RevealOutcome = await systemPreferences.promptTouchID(TOUCH_ID_REASON).then(
        () => 'confirmed',
        (err: unknown) => {
          logger.info('Touch ID did not confirm a reveal', { error: String(err) });
          return 'touch-id-failed';
        },
      );
      return settleReveal(outcome);
    }
    return settleReveal(await typedSuffix(parent(), address));
  };
}

function typedSuffix(parent: BrowserWindow | null, address: string): Promise<RevealOutcome> {
  const html = revealPageHtml(address); // throws before any window when there is no address
  return new Promise((resolve) => {
    const win = new BrowserWindow({
      ...(parent && !parent.isDestroyed() ? { parent, modal: true } : {}),
      width: 480,
      height: 300,
      resizable: false,
      minimizable: false,
      maximizable: false,
      title: 'Confirm: show the recovery phrase',
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, spellcheck: false },
    });
    let settled: RevealOutcome | null = null;
    win.setMenu(null);
    win.webContents.on('will-navigate', (event, url) => {
      event.preventDefault();
      const answer = revealAnswerFromUrl(url);
      if (!answer) return;
      settled = typedOutcome(address, answer);
      win.close();
    });
    win.on('closed', () => resolve(settled ?? 'cancelled'));
    void win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
  });
}
