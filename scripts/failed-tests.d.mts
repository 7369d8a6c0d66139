/** One failed test as `npm test` names it at the end of its output. */
export interface FailedTest {
  suite: 'vitest' | 'e2e';
  /** The file (Playwright: file:line), relative to the repository. */
  where: string;
  /** describe blocks and the test's title (Vitest: its fullName). */
  name: string;
  /** The first line of the failure message. */
  why: string;
}
export function firstLine(text: unknown): string;
export function vitestFailures(report: unknown, root?: string): FailedTest[];
export function playwrightFailures(report: unknown): FailedTest[];
export function formatFailures(failures: FailedTest[]): string;
