import { createSocket, type Socket } from 'node:dgram';

/**
 * A loopback NAT-PMP gateway speaking the RFC 6886 wire format: it answers opcode 0 with
 * version 0, opcode 128, a result code, seconds since start and the outside IPv4, and opcode 2
 * with opcode 130, the ports and the lifetime. No packet leaves 127.0.0.1.
 */
export function natPmpTestRouter(behaviour: {
  result?: number;
  silentFor?: number;
  ip?: [number, number, number, number];
  /** Where it listens: loopback by default; a router namespace's LAN address with port 5351 in the namespace tests. */
  host?: string;
  port?: number;
}): Promise<{ socket: Socket; port: number; received: Buffer[] }> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (msg, rinfo) => {
    received.push(msg);
    if (received.length <= (behaviour.silentFor ?? 0)) return;
    const op = msg.readUInt8(1);
    if (op === 0) {
      const r = Buffer.alloc(12);
      r.writeUInt8(0, 0);
      r.writeUInt8(128, 1);
      r.writeUInt16BE(behaviour.result ?? 0, 2);
      r.writeUInt32BE(4242, 4);
      Buffer.from(behaviour.ip ?? [203, 0, 113, 7]).copy(r, 8);
      socket.send(r, rinfo.port, rinfo.address);
    } else if (op === 2) {
      const r = Buffer.alloc(16);
      r.writeUInt8(0, 0);
      r.writeUInt8(130, 1);
      r.writeUInt16BE(behaviour.result ?? 0, 2);
      r.writeUInt32BE(4242, 4);
      r.writeUInt16BE(msg.readUInt16BE(4), 8);
      r.writeUInt16BE(msg.readUInt16BE(6) + 1, 10); // the router picks the next port: clients must use the answer
      r.writeUInt32BE(msg.readUInt32BE(8), 12);
      socket.send(r, rinfo.port, rinfo.address);
    }
  });
  return new Promise((resolve) => socket.bind(behaviour.port ?? 0, behaviour.host ?? '127.0.0.1', () => resolve({ socket, port: socket.address().port, received })));
}

