import type { Agent } from '../app/agent.js';
import { createHeadlessAgent } from '../app/headless-host.js';
import { findAppRoot } from './app-root.js';
import type { AgentOptions, CliCommand, CliContext, CliHost } from './command.js';
import { commands } from './commands/index.js';
import { describeError, UsageError } from './errors.js';
import { cliPassphrase } from './passphrase-prompt.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** RIGLEASE_PASSPHRASE as read at start-up (main.ts removes it from the environment). */
  passphrase?: string;
}

/** A wrong input or an unknown method is the caller's mistake: usage exit code 2. */
const USAGE_CODES: ReadonlySet<string> = new Set(['invalid_input', 'unknown_method']);

export function topHelp(version: string, list: readonly CliCommand[] = commands): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return `riglease ${version}: turn this machine's GPUs into an Akash Network provider.

Usage: riglease <command> [options]

Commands:
${list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`riglease <command> --help\` for a command's options.
Data folder: RIGLEASE_HOME (default: the platform's app-data folder).`;
}

function makeContext(io: CliIo): CliContext {
  const root = findAppRoot();
  const withAgent = async <T>(work: (agent: Agent) => Promise<T>, opts: AgentOptions = {}): Promise<T> => {
    if (opts.demo) {
      // A simulated rig in its own world: never the real home, Docker, chain endpoints or market.
      // Demo pulls in the chain test node and its libraries: loaded only when asked for.
      const { openDemoAgent } = await import('../app/demo/demo-agent.js');
      const demo = await openDemoAgent({ baseEnv: io.env, appRoot: root.dir, version: root.version, host: opts.host ?? 'cli', ...(opts.logToStderr === undefined ? {} : { logToStderr: opts.logToStderr }) });
      try {
        return await work(demo.agent);
      } finally {
        await demo.close();
      }
    }
    const { agent } = createHeadlessAgent({
      host: opts.host ?? 'cli',
      version: root.version,
      env: io.env,
      getPassphrase: opts.passphrase !== undefined ? async () => opts.passphrase ?? '' : cliPassphrase(io.env, io.passphrase),
      // Given at start-up (RIGLEASE_PASSPHRASE, read and removed by main.ts): the page never asks.
      passphraseGiven: opts.passphrase !== undefined || Boolean(io.passphrase),
      ...(opts.demo === undefined ? {} : { demo: opts.demo }),
      ...(opts.logToStderr === undefined ? {} : { logToStderr: opts.logToStderr }),
    });
    try {
      return await work(agent);
    } finally {
      await agent.stop();
    }
  };
  return {
    env: io.env,
    version: root.version,
    appRoot: root.dir,
    out: io.out,
    err: io.err,
    // Commands see the contract only: the same methods and events a window or a remote client has.
    withAgent: (work, opts) => withAgent((agent) => work({ handlers: agent.handlers, hub: agent.hub }), opts),
    withHost: (work, opts) => withAgent((agent) => work(hostView(agent)), opts),
  };
}

/** What `serve` and `doctor --field` get of the agent they host. */
function hostView(agent: Agent): CliHost {
  return {
    api: { handlers: agent.handlers, hub: agent.hub },
    logger: agent.deps.logger,
    start: () => agent.start(),
    fieldTestParts: () => ({
      stack: agent.stack,
      hub: agent.hub,
      tasks: agent.tasks,
      docker: agent.docker,
      hardware: agent.hardware,
      pricing: agent.pricing,
      stackSeams: agent.stackSeams,
      farm: { status: () => agent.farm.status() },
      version: agent.deps.version,
      env: agent.env,
      home: agent.deps.paths.home,
    }),
  };
}

/** Runs one command line and returns the exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const ctx = makeContext(io);
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.err(`${topHelp(ctx.version)}\n`);
      return 2;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const target = rest[0] === undefined ? undefined : commands.find((c) => c.name === rest[0]);
      io.out(`${target ? target.help() : topHelp(ctx.version)}\n`);
      return 0;
    }
    if (name === '--version' || name === '-v') {
      io.out(`${ctx.version}\n`);
      return 0;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`Unknown command ${JSON.stringify(name)}.`, 'Run `riglease --help` for the list.');
    // --help anywhere before a `--` separator shows the command's help instead of running it.
    const beforeSeparator = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
    if (beforeSeparator.includes('--help') || beforeSeparator.includes('-h')) {
      io.out(`${command.help()}\n`);
      return 0;
    }
    return await command.run(rest, ctx);
  } catch (err) {
    const report = describeError(err, USAGE_CODES);
    io.err(`${report.lines.join('\n')}\n`);
    return report.exitCode;
  }
}
