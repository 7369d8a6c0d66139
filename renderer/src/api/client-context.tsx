import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createClient, type Client } from '../../../src/api/client.js';
import { createIpcTransport } from './ipc-transport.js';
import { createHttpTransport, type ConnectionState } from './http-transport.js';
import { lazySchemas } from './lazy-schemas.js';

export type HostTransport = 'ipc' | 'http';

interface ClientContextValue {
  client: Client;
  transport: HostTransport;
}

const ClientContext = createContext<ClientContextValue | null>(null);
/**
 * The event channel's health: always 'open' over IPC, the WebSocket's state over HTTP. A context
 * of its own: it changes as the socket connects, and every component that calls the agent would
 * otherwise draw again each time (on the first screen, between its render and its first paint).
 */
const ConnectionContext = createContext<ConnectionState>('open');

/**
 * Builds the one typed client for the whole page. Inside Electron the preload has put
 * `window.riglease` there; in a browser (headless server, e2e) it is absent and HTTP is used.
 * Tests and stories can pass their own client.
 */
export function ClientProvider({ children, client: given }: { children: ReactNode; client?: Client }): ReactNode {
  const built = useMemo(() => {
    if (given) return { client: given, transport: 'ipc' as const, http: null };
    const bridge = window.riglease;
    if (bridge) return { client: createClient(createIpcTransport(bridge), lazySchemas), transport: 'ipc' as const, http: null };
    const http = createHttpTransport();
    return { client: createClient(http, lazySchemas), transport: 'http' as const, http };
  }, [given]);
  const [connection, setConnection] = useState<ConnectionState>(built.http ? 'idle' : 'open');

  useEffect(() => {
    if (!built.http) return undefined;
    // The transport lives as long as the page; only the state listener is undone here
    // (StrictMode runs effects twice in development, which must not close the socket for good).
    return built.http.onConnection(setConnection);
  }, [built]);

  const value = useMemo(() => ({ client: built.client, transport: built.transport }), [built]);
  return (
    <ClientContext.Provider value={value}>
      <ConnectionContext.Provider value={connection}>{children}</ConnectionContext.Provider>
    </ClientContext.Provider>
  );
}

/** The typed API client: `client.call('hardware.scan', {})`, `client.on('gpu.telemetry', cb)`. */
export function useClient(): Client {
  return useClientContext().client;
}

export function useConnection(): { transport: HostTransport; connection: ConnectionState } {
  const { transport } = useClientContext();
  return { transport, connection: useContext(ConnectionContext) };
}

function useClientContext(): ClientContextValue {
  const value = useContext(ClientContext);
  if (!value) throw new Error('useClient() needs a <ClientProvider> above it.');
  return value;
}
