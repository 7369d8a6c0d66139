import { describe, expect, it } from 'vitest';
import { HIDDEN_ARG, loginItemPlan, onLastWindowClosed, routeHash, startsHidden, unpackedPath } from './desktop-options.js';

describe('launch at login', () => {
  const base = { execPath: '/opt/RigLease/riglease', env: {}, homeDir: '/home/gamer' };

  it('Windows: a login item that starts hidden in the tray; macOS: the plain login item', () => {
    expect(loginItemPlan({ ...base, platform: 'win32', enabled: true, execPath: 'C:\\Program Files\\RigLease\\RigLease.exe' })).toEqual({
      kind: 'electron',
      settings: { openAtLogin: true, path: 'C:\\Program Files\\RigLease\\RigLease.exe', args: [HIDDEN_ARG] },
    });
    expect(loginItemPlan({ ...base, platform: 'win32', enabled: false })).toMatchObject({ settings: { openAtLogin: false } });
    expect(loginItemPlan({ ...base, platform: 'darwin', enabled: true })).toEqual({ kind: 'electron', settings: { openAtLogin: true } });
  });

  it('Linux: an XDG autostart entry that starts the AppImage itself, removed when switched off', () => {
    const on = loginItemPlan({ ...base, platform: 'linux', enabled: true, env: { APPIMAGE: '/home/gamer/Apps/RigLease 0.1.0.AppImage' } });
    expect(on.kind).toBe('xdg-autostart');
    if (on.kind !== 'xdg-autostart') return;
    expect(on.file).toBe('/home/gamer/.config/autostart/riglease.desktop');
    expect(on.content).toContain('Exec="/home/gamer/Apps/RigLease 0.1.0.AppImage" --hidden\n');
    expect(on.content?.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
    const deb = loginItemPlan({ ...base, platform: 'linux', enabled: true, env: { XDG_CONFIG_HOME: '/home/gamer/.cfg' } });
    expect(deb).toMatchObject({ file: '/home/gamer/.cfg/autostart/riglease.desktop' });
    expect(deb.kind === 'xdg-autostart' ? deb.content : '').toContain('Exec=/opt/RigLease/riglease --hidden');
    expect(loginItemPlan({ ...base, platform: 'linux', enabled: false })).toEqual({ kind: 'xdg-autostart', file: '/home/gamer/.config/autostart/riglease.desktop', content: null });
  });

  it('a start at login stays in the tray', () => {
    expect(startsHidden(['/opt/RigLease/riglease', HIDDEN_ARG], false)).toBe(true);
    expect(startsHidden(['/Applications/RigLease.app/Contents/MacOS/RigLease'], true)).toBe(true);
    expect(startsHidden(['/opt/RigLease/riglease'], false)).toBe(false);
  });
});

describe('paths and window closing', () => {
  it('tray icons are read from app.asar.unpacked in an installed app, unchanged in development', () => {
    expect(unpackedPath('/opt/RigLease/resources/app.asar/resources/tray')).toBe('/opt/RigLease/resources/app.asar.unpacked/resources/tray');
    expect(unpackedPath('C:\\RigLease\\resources\\app.asar\\resources\\tray')).toBe('C:\\RigLease\\resources\\app.asar.unpacked\\resources\\tray');
    expect(unpackedPath('/work/main/resources/tray')).toBe('/work/main/resources/tray');
  });

  it('opens only plain renderer routes', () => {
    expect(routeHash('#/availability')).toBe('#/availability');
    expect(routeHash(undefined)).toBeNull();
    expect(routeHash('#/x"; alert(1); "')).toBeNull();
    expect(routeHash('https://example.com/#/availability')).toBeNull();
  });

  it('closing the last window keeps the app in the tray, or quits where there is no tray', () => {
    expect(onLastWindowClosed(true)).toBe('keep-in-tray');
    expect(onLastWindowClosed(false)).toBe('quit');
  });
});
