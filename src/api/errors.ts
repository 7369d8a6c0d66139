import { z } from 'zod';

/**
 * The closed list of error codes any host may return. A person reads `message`;
 * code decides what the UI offers (retry, fix, sign in again).
 */
export const ErrorCode = z.enum([
  'invalid_input',
  'unknown_method',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'unavailable',
  'timeout',
  'cancelled',
  'precondition_failed',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  /** What the person can do about it: a command, a setting, a link. */
  fix: z.string().optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

/** The one error type that crosses the contract. Plain data survives IPC and JSON; Error fields do not. */
export class RigError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;

  constructor(code: ErrorCode, message: string, fix?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RigError';
    this.code = code;
    this.fix = fix;
  }

  toShape(): ApiErrorShape {
    return this.fix === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, fix: this.fix };
  }

  static fromShape(shape: ApiErrorShape): RigError {
    return new RigError(shape.code, shape.message, shape.fix);
  }
}

/** Turns whatever was thrown into a shape that is safe to send: internal details stay on this side. */
export function toErrorShape(err: unknown): ApiErrorShape {
  if (err instanceof RigError) return err.toShape();
  if (err instanceof z.ZodError) return { code: 'invalid_input', message: formatZodError(err) };
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  return { code: 'internal', message: 'Something went wrong inside RigLease. The log has the details.' };
}

/** One line per problem, with the dotted path, so a CLI user or a form can point at the field. */
export function formatZodError(err: z.ZodError): string {
  return err.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
