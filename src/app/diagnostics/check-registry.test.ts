import { describe, expect, it } from 'vitest';
import { DiagnosticsRegistry, singleCheck, worstOf } from './check-registry.js';

const ok = singleCheck({ id: 'a.ok', area: 'a', what: 'A works', run: async () => ({ status: 'ok', why: 'fine' }) });

describe('diagnostics registry', () => {
  it('adds a check with one line and reports the worst status', async () => {
    const r = new DiagnosticsRegistry().add(ok).add(singleCheck({ id: 'b.warn', area: 'b', what: 'B', docsUrl: 'https://example.com/b', run: async () => ({ status: 'warn', why: 'slow', fix: 'wait' }) }));
    const report = await r.run();
    expect(report.overall).toBe('warn');
    expect(report.checks).toEqual([
      { id: 'a.ok', area: 'a', what: 'A works', status: 'ok', why: 'fine', fix: null, docsUrl: null },
      { id: 'b.warn', area: 'b', what: 'B', status: 'warn', why: 'slow', fix: 'wait', docsUrl: 'https://example.com/b' },
    ]);
  });

  it('a check that throws or hangs becomes one failed check; the others still answer', async () => {
    const r = new DiagnosticsRegistry(200)
      .add(ok)
      .add(singleCheck({ id: 'c.throws', area: 'c', what: 'C', run: () => Promise.reject(new Error('socket closed')) }))
      .add(singleCheck({ id: 'd.hangs', area: 'd', what: 'D', run: () => new Promise(() => undefined) }));
    const started = performance.now();
    const report = await r.run();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(report.overall).toBe('fail');
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId['a.ok']?.status).toBe('ok');
    expect(byId['c.throws']).toMatchObject({ status: 'fail', why: 'This check could not run: socket closed' });
    expect(byId['d.hangs']?.why).toMatch(/did not answer within/);
    expect(byId['d.hangs']?.fix).toBeTruthy();
  });

  it('refuses the same id twice', () => {
    expect(() => new DiagnosticsRegistry().add(ok).add(ok)).toThrow(/registered twice/);
  });

  it.each([
    [[], 'ok'],
    [['ok', 'warn'], 'warn'],
    [['warn', 'fail', 'ok'], 'fail'],
  ] as const)('worst of %j is %s', (statuses, want) => {
    expect(worstOf(statuses)).toBe(want);
  });
});
