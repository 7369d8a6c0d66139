import { describe, expect, it } from 'vitest';
import { isOwnRendererUrl, isTrustedSender, rendererFileUrl } from './sender-check.js';

const index = '/opt/RigLease/resources/app/dist/renderer/index.html';
const rendererUrl = rendererFileUrl(index);
const trusted = { rendererUrl, windowIds: new Set([7]) };

describe('isTrustedSender', () => {
  it('trusts the main frame of our page in our window, whatever the client-side route', () => {
    expect(isTrustedSender({ frameUrl: rendererUrl, isMainFrame: true, webContentsId: 7 }, trusted)).toBe(true);
    expect(isTrustedSender({ frameUrl: `${rendererUrl}#/dashboard`, isMainFrame: true, webContentsId: 7 }, trusted)).toBe(true);
  });

  it('refuses other windows, iframes, other pages and gone frames', () => {
    expect(isTrustedSender({ frameUrl: rendererUrl, isMainFrame: true, webContentsId: 8 }, trusted)).toBe(false);
    expect(isTrustedSender({ frameUrl: rendererUrl, isMainFrame: false, webContentsId: 7 }, trusted)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'https://akash.network/', isMainFrame: true, webContentsId: 7 }, trusted)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'file:///tmp/evil/index.html', isMainFrame: true, webContentsId: 7 }, trusted)).toBe(false);
    expect(isTrustedSender({ frameUrl: null, isMainFrame: true, webContentsId: 7 }, trusted)).toBe(false);
    expect(isTrustedSender({ frameUrl: 'not a url', isMainFrame: true, webContentsId: 7 }, trusted)).toBe(false);
  });

  it('treats a file next to ours, or a path trick, as another page', () => {
    expect(isOwnRendererUrl(rendererUrl.replace('index.html', 'other.html'), rendererUrl)).toBe(false);
    expect(isOwnRendererUrl(rendererUrl.replace('/renderer/', '/renderer/../x/'), rendererUrl)).toBe(false);
    expect(isOwnRendererUrl(`${rendererUrl}?x=1`, rendererUrl)).toBe(true);
  });
});
