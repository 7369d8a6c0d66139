import { RigError } from '../api/errors.js';
import { redactText } from '../util/redact.js';

/** Wrong command line: exit code 2, as is the custom for usage errors. */
export class UsageError extends Error {
  constructor(message: string, readonly fix?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ErrorReport {
  lines: string[];
  exitCode: number;
}

/**
 * `error: …` and `fix: …` lines and the exit code for whatever a command threw. RigErrors
 * carry a message meant for people; anything else is an internal error whose details stay in the log.
 */
export function describeError(err: unknown, usageCodes: ReadonlySet<string> = new Set()): ErrorReport {
  if (err instanceof UsageError) {
    return { lines: [`error: ${err.message}`, ...(err.fix ? [`fix: ${err.fix}`] : [])], exitCode: 2 };
  }
  if (err instanceof RigError) {
    return {
      lines: [`error: ${err.message}`, ...(err.fix ? [`fix: ${err.fix}`] : [])],
      exitCode: usageCodes.has(err.code) ? 2 : 1,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { lines: [`error: ${redactText(message)}`, 'fix: this is a bug in RigLease; the log in the data folder has the details.'], exitCode: 1 };
}
