import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { describeNetns, NetnsLab } from './netns.js';

const namespaces = (): string[] => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);

describeNetns('test/net/netns.ts: the namespace helpers themselves', () => {
  it('names are unique per lab; teardown removes everything and is safe to call twice', async () => {
    const a = new NetnsLab();
    const b = new NetnsLab();
    expect(a.id).not.toBe(b.id);
    try {
      await a.chain(['home', 'pub'], [['203.0.113.10/24', '203.0.113.1/24']]);
      expect(namespaces()).toEqual(expect.arrayContaining([a.ns('home'), a.ns('pub')]));
      expect(await a.exec('home', ['ip', '-4', '-o', 'addr', 'show'])).toContain('203.0.113.10/24');
      // The public side has no default route: nothing can leave through it.
      expect((await a.exec('pub', ['ip', 'route', 'show', 'default'])).trim()).toBe('');
    } finally {
      await a.teardown();
      await a.teardown();
    }
    expect(namespaces().filter((n) => n.startsWith(a.id))).toEqual([]);
  });

  it('a leftover namespace of the same name (a crashed earlier run) is replaced, not a failure; a failed step still tears down', async () => {
    const lab = new NetnsLab();
    execFileSync('ip', ['netns', 'add', lab.ns('home')]);
    try {
      await lab.add('home');
      await expect(lab.link({ role: 'home', cidr: '192.0.2.10/26' }, { role: 'missing', cidr: '192.0.2.1/26' })).rejects.toThrow(/failed/);
    } finally {
      await lab.teardown();
    }
    expect(namespaces()).not.toContain(lab.ns('home'));
  });
});
