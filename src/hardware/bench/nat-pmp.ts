import { createSocket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import type { NatPmpOutcome } from '../../api/schemas/bench.js';

/** RFC 6886: the NAT gateway listens on UDP 5351. */
export const NAT_PMP_PORT = 5351;
const RESULT_TEXT: Record<number, string> = {
  1: 'the router does not speak this NAT-PMP version',
  2: 'the router refused (NAT-PMP is switched off or not allowed for this machine)',
  3: 'the router has no outside connection right now',
  4: 'the router is out of mappings',
  5: 'the router does not support this request',
};

export interface NatPmpOptions {
  gateway: string;
  port?: number;
  /** Retransmissions start at 250 ms and double (RFC 6886 §3.1); we stop after these many tries. */
  tries?: number;
  signal?: AbortSignal;
}

/** Opcode 0 request: version 0, opcode 0 (RFC 6886 §3.2). */
export function externalAddressRequest(): Buffer {
  return Buffer.from([0, 0]);
}

/** Opcode 2 (TCP) mapping request (RFC 6886 §3.3): ports and lifetime, network byte order. */
export function mapTcpRequest(internalPort: number, externalPort: number, lifetimeSec: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt8(0, 0);
  b.writeUInt8(2, 1);
  b.writeUInt16BE(0, 2);
  b.writeUInt16BE(internalPort, 4);
  b.writeUInt16BE(externalPort, 6);
  b.writeUInt32BE(lifetimeSec, 8);
  return b;
}

/** Asks the router for its outside IPv4 address. Sends traffic only when called (the user ran the network check). */
export async function natPmpExternalAddress(opts: NatPmpOptions): Promise<NatPmpOutcome> {
  const answer = await exchange(opts, externalAddressRequest(), 128, 12);
  if ('state' in answer) return answer;
  const result = answer.msg.readUInt16BE(2);
  if (result !== 0) return { state: 'refused', gateway: opts.gateway, externalAddress: null, message: RESULT_TEXT[result] ?? `the router answered with result code ${result}` };
  const ip = [...answer.msg.subarray(8, 12)].join('.');
  return { state: 'ok', gateway: opts.gateway, externalAddress: ip, message: `The router supports NAT-PMP; its outside address is ${ip}.` };
}

export interface NatPmpMapping {
  ok: boolean;
  externalPort: number | null;
  lifetimeSec: number | null;
  message: string;
}

/** Asks the router to forward a TCP port to this machine (RFC 6886 §3.3). */
export async function natPmpMapTcp(opts: NatPmpOptions, internalPort: number, externalPort: number, lifetimeSec = 7200): Promise<NatPmpMapping> {
  const answer = await exchange(opts, mapTcpRequest(internalPort, externalPort, lifetimeSec), 130, 16);
  if ('state' in answer) return { ok: false, externalPort: null, lifetimeSec: null, message: answer.message };
  const result = answer.msg.readUInt16BE(2);
  if (result !== 0) return { ok: false, externalPort: null, lifetimeSec: null, message: RESULT_TEXT[result] ?? `result code ${result}` };
  const mapped = answer.msg.readUInt16BE(10);
  return { ok: true, externalPort: mapped, lifetimeSec: answer.msg.readUInt32BE(12), message: `The router forwards outside TCP ${mapped} to this machine's ${internalPort}.` };
}

async function exchange(opts: NatPmpOptions, request: Buffer, expectOp: number, minLength: number): Promise<{ msg: Buffer } | NatPmpOutcome> {
  const gateway = opts.gateway;
  if (!isIPv4(gateway)) return { state: 'no_gateway', gateway: null, externalAddress: null, message: 'The router\u2019s address is not known, so NAT-PMP could not be asked.' };
  const port = opts.port ?? NAT_PMP_PORT;
  const tries = opts.tries ?? 3;
  const socket = createSocket('udp4');
  try {
    return await new Promise((resolve) => {
      let delay = 250;
      let sent = 0;
      let timer: NodeJS.Timeout | undefined;
      const finish = (v: { msg: Buffer } | NatPmpOutcome) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const onAbort = () => finish({ state: 'error', gateway, externalAddress: null, message: 'Cancelled.' });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      socket.on('message', (msg, rinfo) => {
        // Only the gateway's answer counts (RFC 6886 §3.2), and only to what we asked.
        if (rinfo.address !== gateway || msg.length < minLength || msg.readUInt8(0) !== 0 || msg.readUInt8(1) !== expectOp) return;
        finish({ msg });
      });
      socket.on('error', (err) => finish({ state: 'error', gateway, externalAddress: null, message: `NAT-PMP failed: ${err.message}` }));
      const send = () => {
        if (sent >= tries) {
          finish({ state: 'no_response', gateway, externalAddress: null, message: `The router (${gateway}) did not answer NAT-PMP; it is off or not supported. Forward the ports by hand in the router\u2019s settings.` });
          return;
        }
        sent++;
        socket.send(request, port, gateway, (err) => {
          if (err) finish({ state: 'error', gateway, externalAddress: null, message: `NAT-PMP could not be sent: ${err.message}` });
        });
        timer = setTimeout(send, delay);
        delay *= 2;
      };
      send();
    });
  } finally {
    socket.close();
  }
}
