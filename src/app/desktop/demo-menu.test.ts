import { describe, expect, it } from 'vitest';
import { demoMenuAction, demoMenuItems, demoNavigationAllowed, type DemoMenuState } from './demo-menu.js';
import { trayAction, trayView } from '../tray-model.js';

const off: DemoMenuState = { state: 'off' };
const starting: DemoMenuState = { state: 'starting' };
const running: DemoMenuState = { state: 'running', origin: 'http://127.0.0.1:41234' };
const failed: DemoMenuState = { state: 'failed', message: 'The capture to replay could not be read: ENOENT /opt/RigLease/resources/demo/nvidia-smi/rtx3090_525.147.05_1gpu.xml' };

const labels = (d: DemoMenuState) => demoMenuItems(d).map((i) => `${i.label}${i.enabled === false ? ' (disabled)' : ''}`);

describe('"Try the demo" menu model', () => {
  it.each([
    ['off', off, ['Try the demo (no GPU needed)']],
    ['starting', starting, ['Starting the demo… (disabled)']],
    ['running', running, ['Show the demo window', 'Close the demo']],
  ])('%s', (_name, state, expected) => {
    expect(labels(state)).toEqual(expected);
  });

  it('a failed start says why, cut to a menu line, and offers to try again', () => {
    const [why, again] = demoMenuItems(failed);
    expect(why).toMatchObject({ enabled: false, label: expect.stringMatching(/^The demo could not start: The capture to replay could not be read/) });
    expect(why!.label.length).toBeLessThanOrEqual('The demo could not start: '.length + 80);
    expect(why!.label.endsWith('…')).toBe(true);
    expect(again).toEqual({ id: 'demo-start', label: 'Try the demo again' });
  });

  it.each([
    ['demo-start', off, 'start'],
    ['demo-start', failed, 'start'],
    // A second click while it starts, or once it runs, never starts a second demo.
    ['demo-start', starting, 'none'],
    ['demo-start', running, 'open'],
    ['demo-open', running, 'open'],
    ['demo-open', off, 'none'],
    ['demo-stop', running, 'stop'],
    ['demo-stop', starting, 'none'],
    ['something-else', running, 'none'],
  ] as const)('%s while %o → %s', (id, state, action) => {
    expect(demoMenuAction(id, state)).toBe(action);
  });

  it('the demo window stays on the demo\'s own local server', () => {
    expect(demoNavigationAllowed('http://127.0.0.1:41234/?token=abc', running)).toBe(true);
    expect(demoNavigationAllowed('http://127.0.0.1:41234/#/pricing', running)).toBe(true);
    for (const url of ['http://127.0.0.1:41235/', 'https://127.0.0.1:41234/', 'http://localhost:41234/', 'http://evil.example/', 'file:///etc/passwd', 'not a url']) {
      expect(demoNavigationAllowed(url, running), url).toBe(false);
    }
    expect(demoNavigationAllowed('http://127.0.0.1:41234/', off)).toBe(false);
    expect(demoNavigationAllowed('http://10.0.0.5:41234/', { state: 'running', origin: 'http://10.0.0.5:41234' })).toBe(false);
  });

  it('the tray carries the entry above Open/Quit, and its clicks reach the demo', () => {
    const view = trayView({ availability: null, stack: null, running: [], errors: [] }, new Date(), { demo: off });
    const ids = view.items.flatMap((i) => ('id' in i ? [i.id] : []));
    expect(ids.slice(-3)).toEqual(['demo-start', 'open', 'quit']);
    expect(trayView({ availability: null, stack: null, running: [], errors: [] }, new Date()).items.some((i) => 'id' in i && i.id.startsWith('demo-'))).toBe(false);
    expect(trayAction('demo-start', new Date())).toEqual({ kind: 'demo', id: 'demo-start' });
    expect(trayAction('demo-stop', new Date())).toEqual({ kind: 'demo', id: 'demo-stop' });
  });
});
