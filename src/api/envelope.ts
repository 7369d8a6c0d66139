import { z } from 'zod';
import { ApiErrorShape } from './errors.js';

/** What every host sends back for a call: a value or an error, never a thrown exception. */
export const Envelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorShape }),
]);
export type Envelope = z.infer<typeof Envelope>;
