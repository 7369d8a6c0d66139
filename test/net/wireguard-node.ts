/**
 * TEST TOOL, run inside a network namespace (`ip netns exec NS node --import tsx …`): Node
 * cannot enter a namespace itself, so the rig's relay service, the stand-in provider ports and
 * the tenant's clients each live in a small process there. One JSON request per stdin line
 * (`{id, op, …}`), one JSON answer per stdout line (`{id, ok, value | error}`).
 *
 * Ops: `call` (a relay.* contract method through the real dispatch loop and schemas), `pid`
 * (wireguard-go's process id), `listen` (TCP/UDP/TLS stand-ins for the provider's ports),
 * `tcp`, `udp`, `tls` (a tenant's client), `exit`.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import tls from 'node:tls';
import { dispatch, type Handlers } from '../../src/api/dispatch.js';
import { RelaySettings } from '../../src/api/schemas/settings/network-relay.js';
import { StackPorts } from '../../src/api/schemas/settings/stack.js';
import { relayHandlers } from '../../src/app/handlers/relay-handlers.js';
import { createRelayService, type RelayService } from '../../src/provider/network/relay-service.js';
import type { SecretStore } from '../../src/store/secret-store.js';
import type { Logger } from '../../src/util/logger.js';

const memorySecrets = (): SecretStore => {
  const m = new Map<string, string>();
  return {
    kind: 'memory (test)',
    has: async (n) => m.has(n),
    get: async (n) => m.get(n) ?? null,
    set: async (n, v) => void m.set(n, v),
    delete: async (n) => void m.delete(n),
  };
};

const logger: Logger = {
  debug: () => undefined,
  info: (msg, f) => process.stderr.write(`[info] ${msg} ${JSON.stringify(f ?? {})}\n`),
  warn: (msg, f) => process.stderr.write(`[warn] ${msg} ${JSON.stringify(f ?? {})}\n`),
  error: (msg, f) => process.stderr.write(`[error] ${msg} ${JSON.stringify(f ?? {})}\n`),
  child: () => logger,
} as Logger;

let relay: RelayService | null = null;
let handlers: Handlers | null = null;

function relayFor(init: { relay: Record<string, unknown>; ports: Record<string, unknown>; healthIntervalMs?: number }): Handlers {
  if (handlers) return handlers;
  let settings = RelaySettings.parse(init.relay);
  const ports = StackPorts.parse(init.ports);
  relay = createRelayService({
    settings: async () => ({ relay: settings, ports }),
    saveRelay: async (next) => void (settings = RelaySettings.parse(next)),
    secrets: memorySecrets(),
    logger,
    platform: process.platform,
    ...(init.healthIntervalMs ? { healthIntervalMs: init.healthIntervalMs } : {}),
  });
  // Only the relay's methods are bound; dispatch still checks every input and output schema.
  handlers = relayHandlers(relay) as unknown as Handlers;
  return handlers;
}

const servers: { close: () => void }[] = [];

function listen(spec: { kind: 'tcp' | 'udp' | 'tls'; port: number; name: string; certFile?: string; keyFile?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    if (spec.kind === 'udp') {
      const s = dgram.createSocket('udp4');
      s.on('message', (msg, from) => s.send(`${spec.name} got ${msg.toString()} from ${from.address}`, from.port, from.address));
      s.once('error', reject);
      s.bind(spec.port, () => resolve());
      servers.push({ close: () => s.close() });
      return;
    }
    const onConn = (sock: net.Socket | tls.TLSSocket) => {
      const sni = sock instanceof tls.TLSSocket ? ` sni=${String((sock as tls.TLSSocket & { servername?: string }).servername)}` : '';
      sock.end(`${spec.name} from ${sock.remoteAddress ?? '?'}${sni}\n`);
      sock.on('error', () => undefined);
    };
    const s =
      spec.kind === 'tls'
        ? tls.createServer({ cert: readFileSync(spec.certFile ?? ''), key: readFileSync(spec.keyFile ?? '') }, onConn)
        : net.createServer(onConn);
    s.once('error', reject);
    s.listen(spec.port, '0.0.0.0', () => resolve());
    servers.push({ close: () => s.close() });
  });
}

function tcp(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    let got = '';
    s.setTimeout(timeoutMs, () => {
      s.destroy();
      reject(new Error(`tcp ${host}:${port}: no answer in ${timeoutMs} ms`));
    });
    s.on('data', (b) => (got += b.toString()));
    s.on('end', () => resolve(got.trim()));
    s.on('error', (e) => reject(e));
  });
}

function tlsClient(host: string, port: number, servername: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // The stand-in's certificate is self-signed; what is tested is that TLS passes the relay untouched.
    const s = tls.connect({ host, port, servername, rejectUnauthorized: false });
    let got = '';
    s.setTimeout(timeoutMs, () => {
      s.destroy();
      reject(new Error(`tls ${host}:${port}: no answer in ${timeoutMs} ms`));
    });
    s.on('data', (b) => (got += b.toString()));
    s.on('end', () => resolve(got.trim()));
    s.on('error', (e) => reject(e));
  });
}

function udp(host: string, port: number, text: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      reject(new Error(`udp ${host}:${port}: no answer in ${timeoutMs} ms`));
    }, timeoutMs);
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(m.toString());
    });
    s.send(text, port, host);
  });
}

type Req = { id: number; op: string; [k: string]: unknown };

async function handle(r: Req): Promise<unknown> {
  switch (r.op) {
    case 'call': {
      const h = relayFor(r['init'] as Parameters<typeof relayFor>[0]);
      return dispatch(h, r['method'], r['input'], { via: 'internal' }, { onError: (m, err) => logger.error(`${m} failed`, { err: err instanceof Error ? (err.stack ?? err.message) : String(err) }) });
    }
    case 'pid':
      return relay?.tunnelPid() ?? null;
    case 'listen':
      await listen(r['spec'] as Parameters<typeof listen>[0]);
      return true;
    case 'tcp':
      return tcp(String(r['host']), Number(r['port']), Number(r['timeoutMs'] ?? 3000));
    case 'tls':
      return tlsClient(String(r['host']), Number(r['port']), String(r['servername']), Number(r['timeoutMs'] ?? 3000));
    case 'udp':
      return udp(String(r['host']), Number(r['port']), String(r['text']), Number(r['timeoutMs'] ?? 3000));
    case 'exit':
      await relay?.stop();
      for (const s of servers) s.close();
      setTimeout(() => process.exit(0), 10);
      return true;
    default:
      throw new Error(`unknown op ${r.op}`);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const r = JSON.parse(line) as Req;
  handle(r).then(
    (value) => process.stdout.write(`${JSON.stringify({ id: r.id, ok: true, value })}\n`),
    (err: unknown) => process.stdout.write(`${JSON.stringify({ id: r.id, ok: false, error: err instanceof Error ? err.message : String(err) })}\n`),
  );
});
process.stdin.on('end', () => void relay?.stop().finally(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ id: 0, ok: true, value: 'ready' })}\n`);
