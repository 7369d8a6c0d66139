import net from 'node:net';

/**
 * Whether the relay answers through the tunnel: one TCP connection to the relay's tunnel
 * address on port 9, where the setup script makes the relay answer with a reset at once.
 * "Refused" therefore means the tunnel works; silence means it does not. It is also real data
 * through the tunnel, and WireGuard starts a fresh handshake when data gets no answer for 15 s
 * (timers in the WireGuard paper §6): after the relay restarted and forgot this rig's address,
 * these knocks are what bring the tunnel back.
 */
export function knock(address: string, timeoutMs: number, port = 9): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED'));
  });
}

export type PortState = 'open' | 'closed' | 'filtered';

/** One TCP connection attempt: completed, refused, or no answer within the timeout. */
export function tcpState(host: string, port: number, timeoutMs: number): Promise<{ state: PortState; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (state: PortState) => {
      socket.destroy();
      resolve({ state, ms: Math.round((performance.now() - started) * 10) / 10 });
    };
    socket.setTimeout(timeoutMs, () => done('filtered'));
    socket.once('connect', () => done('open'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'closed' : 'filtered'));
  });
}
