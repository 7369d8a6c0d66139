// Each failed test by name, read from the JSON reports Vitest and Playwright write. `npm test`
// prints them again at its very end: a CI log is often read from its tail, and the suites' own
// failure reports scroll far above it.

/** The first non-empty line of a failure message, without terminal colours, at most 300 characters. */
export function firstLine(text) {
  // \u001b[…m: a terminal colour code, which Vitest leaves in its messages.
  const line = String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 300);
}

/** Vitest's JSON report: each failed test, and each file that failed without running a test (it did not load). */
export function vitestFailures(report, root = process.cwd()) {
  const out = [];
  for (const file of report.testResults ?? []) {
    const where = String(file.name ?? '').replace(`${root}/`, '');
    const failedHere = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedHere) out.push({ suite: 'vitest', where, name: t.fullName, why: firstLine(t.failureMessages?.[0]) });
    if (file.status === 'failed' && failedHere.length === 0) out.push({ suite: 'vitest', where, name: '(the file itself failed)', why: firstLine(file.message) });
  }
  return out;
}

/** Playwright's JSON report: each failed test. Its top-level suites are files; the suites inside them are describe blocks. */
export function playwrightFailures(report) {
  const out = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      if (spec.ok !== false) continue;
      const results = (spec.tests ?? []).flatMap((t) => t.results ?? []);
      const why = results.map((r) => r.error?.message ?? r.errors?.[0]?.message).find(Boolean);
      out.push({ suite: 'e2e', where: `${spec.file}:${spec.line}`, name: [...titles, spec.title].join(' > '), why: firstLine(why) });
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const file of report.suites ?? []) walk(file, []);
  // A file that does not load fails the run with no spec in it: Playwright lists it among the report's errors.
  for (const e of report.errors ?? []) out.push({ suite: 'e2e', where: e.location?.file ?? '(run)', name: '(could not run)', why: firstLine(e.message) });
  return out;
}

/** The lines `npm test` prints: the suite, where, the name, and on the next line why. */
export function formatFailures(failures) {
  return failures.map((f) => `  ${f.suite.padEnd(6)}  ${f.where} > ${f.name}\n            ${f.why}`).join('\n');
}
