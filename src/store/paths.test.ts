import { describe, expect, it } from 'vitest';
import { defaultHome } from './paths.js';

describe('defaultHome', () => {
  it('uses RIGLEASE_HOME when set, on every platform', () => {
    expect(defaultHome('win32', { RIGLEASE_HOME: '/tmp/x' }, '/home/u')).toBe('/tmp/x');
  });
  it('follows each platform convention', () => {
    expect(defaultHome('linux', {}, '/home/u')).toBe('/home/u/.config/riglease');
    expect(defaultHome('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe('/cfg/riglease');
    expect(defaultHome('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/RigLease');
    expect(defaultHome('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\RigLease');
  });
});
