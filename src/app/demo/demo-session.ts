import { startServer } from '../../server/server.js';
import { openDemoAgent, type DemoAgent } from './demo-agent.js';
import type { DemoWorldOptions } from './demo-world.js';

export interface DemoSession {
  /** Open this in the demo window: it carries the token once, then the page keeps it. */
  loginUrl: string;
  /** http://127.0.0.1:PORT — the only place the demo window may go. */
  origin: string;
  demo: DemoAgent;
  /** Stops the server, the demo agent, its chain and market, and deletes its throwaway home. */
  close(): Promise<void>;
}

/**
 * "Try the demo" in the desktop app: the demo agent (its own simulated world, never the app's
 * real agent, wallet or Docker) served on 127.0.0.1 with a fresh token, exactly like
 * `riglease serve --demo`. The desktop shell opens `loginUrl` in a window of its own; the page
 * talks HTTP to this server, so the app's IPC and real agent are not involved at all.
 */
export async function startDemoSession(opts: DemoWorldOptions & { version: string; staticDir: string | null }): Promise<DemoSession> {
  const demo = await openDemoAgent({ baseEnv: opts.baseEnv, appRoot: opts.appRoot, resourcesPath: opts.resourcesPath, isPackaged: opts.isPackaged, version: opts.version, host: 'headless' });
  try {
    const server = await startServer({ agent: demo.agent, host: '127.0.0.1', port: 0, staticDir: opts.staticDir, logger: demo.agent.deps.logger.child('demo-server') });
    demo.agent.start();
    return {
      loginUrl: server.loginUrl,
      origin: server.origin,
      demo,
      close: async () => {
        await server.close().catch(() => undefined);
        await demo.close();
      },
    };
  } catch (err) {
    await demo.close();
    throw err;
  }
}
