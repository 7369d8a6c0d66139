import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParsedArgs<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;
import type { Agent } from '../app/agent.js';
import { UsageError } from './errors.js';

/** What a command gets from the CLI shell: output streams, environment and a lazily built agent. */
export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
  /** The package folder (holds dist/). */
  readonly appRoot: string;
  out(text: string): void;
  err(text: string): void;
  /**
   * Runs `work` with an in-process agent and stops it afterwards (its child processes and
   * timers), whatever happens. `host: 'headless'` is for the long-running server.
   */
  withAgent<T>(work: (agent: Agent) => Promise<T>, opts?: AgentOptions): Promise<T>;
}

export interface AgentOptions {
  host?: 'headless' | 'cli';
  demo?: boolean;
  logToStderr?: boolean;
  /** Unlocks the secrets with this passphrase (one the command already asked for) instead of asking again. */
  passphrase?: string;
}

export interface CliCommand {
  /** The word typed after `riglease`. */
  name: string;
  /** One line for `riglease --help`. */
  summary: string;
  /** The full `riglease <name> --help` text. */
  help(): string;
  /** Returns the exit code. `args` excludes the command name. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs with strict checking, turning its errors into usage errors (exit 2)
 * that name the command's help.
 */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O, positionals: { min?: number; max?: number } = {}): ParsedArgs<O> {
  let parsed: ParsedArgs<O>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '.') : String(err), `See \`riglease ${command} --help\`.`);
  }
  const count = parsed.positionals.length;
  if (count < (positionals.min ?? 0)) throw new UsageError(`riglease ${command}: missing argument.`, `See \`riglease ${command} --help\`.`);
  if (count > (positionals.max ?? 0)) {
    throw new UsageError(`riglease ${command}: unexpected argument ${JSON.stringify(parsed.positionals[positionals.max ?? 0])}.`, `See \`riglease ${command} --help\`.`);
  }
  return parsed;
}

/** A port number from the command line: 0 means "any free port". */
export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not ${JSON.stringify(value)}.`, 'Use --port 0 for any free port.');
  return Number(value);
}
