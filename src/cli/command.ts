import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FieldTestAgentDeps } from '../app/diagnostics/field-test-agent.js';
import type { HostedAgent } from '../server/server.js';
import type { Logger } from '../util/logger.js';
import { UsageError } from './errors.js';
import type { InProcessApi } from './in-process-api.js';

/** What a command gets from the CLI shell: output streams, environment and a lazily built agent's contract. */
export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly version: string;
  /** The package folder (holds dist/). */
  readonly appRoot: string;
  out(text: string): void;
  err(text: string): void;
  /**
   * Runs `work` with an in-process agent's contract (its methods and events, what a window or a
   * remote client has) and stops the agent afterwards (its child processes and timers), whatever happens.
   */
  withAgent<T>(work: (api: InProcessApi) => Promise<T>, opts?: AgentOptions): Promise<T>;
  /**
   * The same, for the two commands that host the agent rather than call it: `serve` binds the
   * server to it and starts its loops, `doctor --field` drives the stack's parts directly.
   */
  withHost<T>(work: (host: CliHost) => Promise<T>, opts?: AgentOptions): Promise<T>;
}

/** What a hosting command gets: more than the contract, still not the whole Agent. */
export interface CliHost {
  /** The contract's handlers and the hub the server forwards. */
  readonly api: HostedAgent;
  readonly logger: Logger;
  /** Starts the long-running loops (availability, the price table, the farm, notifications…). */
  start(): void;
  /** The parts the field test drives; read when called (the farm is built on first use). */
  fieldTestParts(): FieldTestAgentDeps;
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
type ParsedArgs<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

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
