import { describe, expect, it } from 'vitest';
import { demoWindowOptions, mainWindowOptions } from './window-options.js';

describe('mainWindowOptions', () => {
  const opts = mainWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs' });
  const web = opts.webPreferences!;

  it('isolates the page from Node and Electron (security checklist)', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
  });

  it('loads the bundled CJS preload and waits for the first paint before showing', () => {
    expect(web.preload).toBe('/app/dist/electron/preload.cjs');
    expect(opts.show).toBe(false);
  });

  it('a caller cannot switch the protections off through the input', () => {
    const withIcon = mainWindowOptions({ preloadPath: '/p.cjs', iconPath: '/icon.png', title: 'x' });
    expect(withIcon.icon).toBe('/icon.png');
    expect(withIcon.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });
});

describe('demoWindowOptions', () => {
  it('has every protection of the main window and no preload: the demo page cannot reach the real agent over IPC', () => {
    const demo = demoWindowOptions({ iconPath: '/icon.png' });
    expect(demo.webPreferences).not.toHaveProperty('preload');
    const { preload: _p, ...mainProtections } = mainWindowOptions({ preloadPath: '/p.cjs' }).webPreferences!;
    expect(demo.webPreferences).toEqual(mainProtections);
    expect(demo.title).toBe('RigLease demo');
    expect(demo.icon).toBe('/icon.png');
  });
});
