import type { ReactNode } from 'react';
import type { ApiErrorShape, ErrorCode } from '../../../src/api/errors.js';
import { FixText } from './copy-code.js';

const TITLES: Record<ErrorCode, string> = {
  invalid_input: 'That input was not accepted',
  unknown_method: 'This screen asked for something the agent does not know',
  unauthorized: 'Not signed in',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Already in progress',
  unavailable: 'Cannot reach it right now',
  timeout: 'It took too long',
  cancelled: 'Cancelled',
  precondition_failed: 'Something has to be done first',
  internal: 'Something went wrong inside RigLease',
};

/** Anything thrown, as the RigError shape: a message a person can act on, and the fix. */
export function toErrorShape(error: unknown): ApiErrorShape {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const e = error as { code: unknown; message: unknown; fix?: unknown };
    if (typeof e.code === 'string' && e.code in TITLES && typeof e.message === 'string') {
      return { code: e.code as ErrorCode, message: e.message, ...(typeof e.fix === 'string' ? { fix: e.fix } : {}) };
    }
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** The one way a screen shows an error: what happened, in words, and what to do about it. */
export function ErrorView({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }): ReactNode {
  const shape = toErrorShape(error);
  return (
    <div className="error-view stack" role="alert" data-testid="error-view" data-code={shape.code}>
      <h3>{title ?? TITLES[shape.code]}</h3>
      <div>{shape.message}</div>
      {shape.fix ? (
        <div className="stack">
          <strong>What to do</strong>
          <FixText fix={shape.fix} />
        </div>
      ) : null}
      {onRetry ? (
        <div>
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      ) : null}
    </div>
  );
}
