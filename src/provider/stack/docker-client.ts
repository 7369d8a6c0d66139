import { RigError } from '../../api/errors.js';

/** Every Docker call gets a deadline: a hung engine must not hang the app. */
export async function withTimeout<T>(what: string, ms: number, work: Promise<T>, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RigError('timeout', `Docker did not answer in time (${what}, ${Math.round(ms / 1000)} s).`, 'Check that Docker is running and not overloaded, then try again.')), ms);
      }),
      new Promise<never>((_, reject) => {
        if (!signal) return;
        onAbort = () => reject(new RigError('cancelled', 'Cancelled.'));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
    if (signal && onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** HTTP status of a dockerode error, when it has one. */
export function statusOf(err: unknown): number | null {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : null;
}

export const T = { quick: 10_000, create: 60_000, stop: 60_000, exec: 30_000, pull: 30 * 60_000 } as const;
