import { installCrashHandlers } from '../../src/app/crash-reports.js';
import { pathsUnder } from '../../src/store/paths.js';
import { fileLogger } from '../../src/util/logger.js';

/**
 * Test tool: a process with the agent's crash handlers (as `riglease` and Electron's main install
 * them) that then crashes. argv[2]: `throw` (uncaught exception) or `reject` (unhandled
 * rejection). CRASH_MESSAGE goes into the error's message, CRASH_STACK_EXTRA into its stack.
 */
const home = process.env['RIGLEASE_HOME'];
if (!home) throw new Error('RIGLEASE_HOME is required');
installCrashHandlers({ home, version: '0.0.0-crash-test', host: 'headless', env: process.env, exit: (code) => process.exit(code) });
fileLogger(pathsUnder(home).logsDir, 'crash-test').info('about to crash', { step: 'signing' });

function failWith(): Error {
  const err = new Error(process.env['CRASH_MESSAGE'] ?? 'crash');
  err.name = 'WalletCrash';
  if (process.env['CRASH_STACK_EXTRA']) err.stack = `${err.stack ?? ''}\n    at signWith (${process.env['CRASH_STACK_EXTRA']})`;
  return err;
}

if (process.argv[2] === 'reject') {
  void Promise.reject(failWith());
} else {
  setTimeout(() => {
    throw failWith();
  }, 0);
}
// Kept alive like an agent would be; the handler must end it.
setInterval(() => undefined, 1_000);
