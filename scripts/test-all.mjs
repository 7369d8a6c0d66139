#!/usr/bin/env node
// `npm test`: every suite in one command — typecheck, lint, unit + integration (Vitest, real
// Docker engine), e2e (Playwright in Debian's Chromium) — then each failed test by name
// (failed-tests.mjs) and one line summing them all:
// `N passed, N failed, N skipped`. Exits non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { formatFailures, playwrightFailures, vitestFailures } from './failed-tests.mjs';

const results = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const failedTests = [];
mkdirSync('test-results', { recursive: true });

function run(name, cmd, args, extraEnv = {}) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  console.log(`== ${name}: exit ${r.status ?? r.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

function gate(name, ok) {
  if (ok) results.passed += 1;
  else {
    results.failed += 1;
    failures.push(name);
  }
}

gate('typecheck', run('typecheck', 'npx', ['tsc', '-b']));
gate('lint', run('lint', 'npx', ['eslint', '.', '--max-warnings=0']));

const unitJson = 'test-results/unit-results.json';
rmSync(unitJson, { force: true });
const unitOk = run('unit+integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`]);
if (existsSync(unitJson)) {
  const r = JSON.parse(readFileSync(unitJson, 'utf8'));
  results.passed += r.numPassedTests ?? 0;
  results.failed += r.numFailedTests ?? 0;
  results.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  failedTests.push(...vitestFailures(r));
  if (!unitOk && (r.numFailedTests ?? 0) === 0) gate('vitest (suite error)', false);
} else gate('vitest (no report)', false);

const built = run('build', 'node', ['scripts/build.mjs']);
gate('build', built);

const e2eJson = 'test-results/e2e-results.json';
rmSync(e2eJson, { force: true });
if (built) {
  const e2eOk = run('e2e', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson });
  if (existsSync(e2eJson)) {
    const report = JSON.parse(readFileSync(e2eJson, 'utf8'));
    const s = report.stats ?? {};
    failedTests.push(...playwrightFailures(report));
    results.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    results.failed += s.unexpected ?? 0;
    results.skipped += s.skipped ?? 0;
    if (!e2eOk && (s.unexpected ?? 0) === 0) gate('playwright (suite error)', false);
  } else gate('playwright (no report)', false);
}

if (failedTests.length) console.log(`\nfailed tests:\n${formatFailures(failedTests)}`);
if (failures.length) console.log(`\nfailed gates: ${failures.join(', ')}`);
console.log(`\n${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(results.failed === 0 ? 0 : 1);
