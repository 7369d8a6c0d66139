import type { z } from 'zod';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line for `--help` and for logs. */
  summary: string;
  /**
   * Inputs that must never be logged in full (mnemonics, passphrases). The logger redacts by
   * key name anyway; this also keeps the whole input out of the IPC log line.
   */
  sensitive?: boolean;
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}
