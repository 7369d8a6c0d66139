import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFailures, playwrightFailures, vitestFailures } from '../../scripts/failed-tests.mjs';

/**
 * The oracle is the real reports: Vitest and Playwright, the versions this repository pins, run
 * on a few small files that fail in known ways, and write the JSON reports `npm test` reads.
 * Under node_modules/ so that the files resolve `vitest` and `@playwright/test` from it.
 */
const REPO = path.resolve(import.meta.dirname, '../..');
const DIR = path.join(REPO, 'node_modules', '.cache', `riglease-failed-tests-${process.pid}`);

function runTool(args: string[], env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve) => {
    // Both exit 1 here, as they should: some of their tests fail.
    // The outer run's own report settings must not redirect these reports.
    const { PLAYWRIGHT_JSON_OUTPUT_NAME: _outer, ...inherited } = process.env;
    execFile(process.execPath, args, { cwd: DIR, env: { ...inherited, ...env, CI: '' }, timeout: 90_000 }, () => resolve());
  });
}

let vitestReport: unknown;
let playwrightReport: unknown;
/** A run in which one spec file cannot load: Playwright then runs nothing and reports the error. */
let playwrightLoadReport: unknown;

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(path.join(DIR, 'vitest.config.mjs'), "export default { test: { include: ['*.test.mjs'], root: import.meta.dirname } };\n");
  writeFileSync(
    path.join(DIR, 'sums.test.mjs'),
    "import { describe, expect, it } from 'vitest';\n" +
      "describe('sums', () => {\n" +
      "  it('adds', () => expect(1 + 1).toBe(2));\n" +
      "  describe('carry', () => { it('carries the ten', () => expect(9 + 1).toBe(11)); });\n" +
      '});\n',
  );
  writeFileSync(path.join(DIR, 'broken.test.mjs'), "import './does-not-exist.mjs';\n");
  writeFileSync(
    path.join(DIR, 'playwright.config.mjs'),
    "export default { testDir: import.meta.dirname, testMatch: '*.spec.mjs', reporter: [['json', { outputFile: process.env.PW_OUT }]], workers: 1 };\n",
  );
  writeFileSync(
    path.join(DIR, 'page.spec.mjs'),
    "import { test, expect } from '@playwright/test';\n" +
      "test.describe('the page', () => {\n" +
      "  test('loads', () => expect(true).toBe(true));\n" +
      "  test.describe('header', () => { test('says hello', () => expect('hi').toBe('hello')); });\n" +
      '});\n',
  );
  writeFileSync(path.join(DIR, 'broken.spec.mjs'), "import './missing-helper.mjs';\n");
  const bin = (p: string) => path.join(REPO, 'node_modules', p);
  await Promise.all([
    runTool([bin('vitest/vitest.mjs'), 'run', '--config', 'vitest.config.mjs', '--reporter=json', '--outputFile.json=vitest.json']),
    runTool([bin('@playwright/test/cli.js'), 'test', '--config', 'playwright.config.mjs', 'page.spec.mjs'], { PW_OUT: 'pw.json' }),
    runTool([bin('@playwright/test/cli.js'), 'test', '--config', 'playwright.config.mjs'], { PW_OUT: 'pw-load.json' }),
  ]);
  vitestReport = JSON.parse(readFileSync(path.join(DIR, 'vitest.json'), 'utf8'));
  playwrightReport = JSON.parse(readFileSync(path.join(DIR, 'pw.json'), 'utf8'));
  playwrightLoadReport = JSON.parse(readFileSync(path.join(DIR, 'pw-load.json'), 'utf8'));
}, 120_000);

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('npm test names each failed test at its end, from the suites’ real JSON reports', () => {
  it('Vitest: the failed test with its describe blocks and why; a file that cannot load, by name; nothing that passed', () => {
    const failed = vitestFailures(vitestReport, DIR);
    // Files finish in either order.
    expect(failed).toHaveLength(2);
    expect(failed).toContainEqual({ suite: 'vitest', where: 'sums.test.mjs', name: 'sums carry carries the ten', why: 'AssertionError: expected 10 to be 11 // Object.is equality' });
    expect(failed).toContainEqual({ suite: 'vitest', where: 'broken.test.mjs', name: '(the file itself failed)', why: expect.stringContaining('does-not-exist.mjs') });
  });

  it('Playwright: the failed test as file:line > describe > title, with the first line of why', () => {
    expect(playwrightFailures(playwrightReport)).toEqual([
      { suite: 'e2e', where: 'page.spec.mjs:4', name: 'the page > header > says hello', why: expect.stringMatching(/^Error: expect\(received\)\.toBe\(expected\)/) },
    ]);
  });

  it('Playwright: a spec file that cannot load is named, with why, though no test ran', () => {
    // The report gives such an error no location; its message names the file.
    expect(playwrightFailures(playwrightLoadReport)).toEqual([
      { suite: 'e2e', where: '(run)', name: '(could not run)', why: expect.stringMatching(/Cannot find module .*missing-helper\.mjs' imported from .*broken\.spec\.mjs/) },
    ]);
  });

  it('printed as one line per test and one for why, without terminal colours', () => {
    const text = formatFailures([...vitestFailures(vitestReport, DIR), ...playwrightFailures(playwrightReport)]);
    expect(text).toContain('sums.test.mjs > sums carry carries the ten\n            AssertionError: expected 10 to be 11');
    expect(text).toContain('page.spec.mjs:4 > the page > header > says hello');
    expect(text).not.toMatch(/\u001b\[/);
  });
});
