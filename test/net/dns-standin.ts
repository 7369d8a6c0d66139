import { createSocket } from 'node:dgram';

export interface ZoneRecord {
  name: string;
  type: string;
  content: string;
  ttl: number;
}

export interface DnsStandIn {
  /** `127.0.0.1:<port>`, for network.dns.resolver. */
  server: string;
  port: number;
  /** Every question asked, as `name TYPE`. */
  questions: string[];
  close(): Promise<void>;
}

const TYPE = { A: 1, CNAME: 5 } as const;
const TYPE_NAME: Record<number, string> = { 1: 'A', 5: 'CNAME', 28: 'AAAA' };

/** Reads a (never compressed, in a question) domain name at `offset`. */
function readName(msg: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let i = offset;
  while (i < msg.length) {
    const len = msg[i]!;
    if (len === 0) return { name: labels.join('.').toLowerCase(), next: i + 1 };
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += 1 + len;
  }
  throw new Error('truncated name');
}

function writeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'ascii')])), Buffer.from([0])]);
}

function rr(name: string, type: number, ttl: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2); // IN
  head.writeUInt32BE(ttl, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([writeName(name), head, rdata]);
}

/**
 * A tiny authoritative DNS server (RFC 1035 wire format over UDP) for one test zone. It answers
 * A and CNAME questions from `records()` — the Cloudflare stand-in's records, so what the client
 * wrote through the API is what resolving returns. Wildcards match as RFC 4592 says for the
 * simple case (`*.ingress.example.com` answers any name directly under `ingress.example.com`
 * that has no records of its own). A CNAME answer carries the target's A records when the
 * target is in the zone, as authoritative servers do. Unknown names: NXDOMAIN with AA set.
 */
export async function dnsStandIn(o: { zone: string; records: () => ZoneRecord[]; host?: string; port?: number }): Promise<DnsStandIn> {
  const socket = createSocket('udp4');
  const questions: string[] = [];
  const zone = o.zone.toLowerCase();
  const lookup = (name: string): ZoneRecord[] => {
    const all = o.records().map((r) => ({ ...r, name: r.name.toLowerCase() }));
    const exact = all.filter((r) => r.name === name);
    if (exact.length > 0) return exact;
    const parent = name.split('.').slice(1).join('.');
    return all.filter((r) => r.name === `*.${parent}`).map((r) => ({ ...r, name }));
  };
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    const id = msg.readUInt16BE(0);
    let q: { name: string; next: number };
    try {
      q = readName(msg, 12);
    } catch {
      return;
    }
    const qtype = msg.readUInt16BE(q.next);
    const question = msg.subarray(12, q.next + 4);
    questions.push(`${q.name} ${TYPE_NAME[qtype] ?? qtype}`);
    const answers: Buffer[] = [];
    let rcode = 0;
    if (q.name !== zone && !q.name.endsWith(`.${zone}`)) rcode = 5; // REFUSED: not our zone
    else {
      const found = lookup(q.name);
      const cname = found.find((r) => r.type === 'CNAME');
      if (cname && qtype !== TYPE.CNAME) {
        answers.push(rr(q.name, TYPE.CNAME, cname.ttl, writeName(cname.content)));
        for (const t of lookup(cname.content.toLowerCase()).filter((r) => r.type === 'A' && qtype === TYPE.A)) answers.push(rr(t.name, TYPE.A, t.ttl, Buffer.from(t.content.split('.').map(Number))));
      } else {
        for (const r of found) {
          if (r.type === 'A' && qtype === TYPE.A) answers.push(rr(q.name, TYPE.A, r.ttl, Buffer.from(r.content.split('.').map(Number))));
          if (r.type === 'CNAME' && qtype === TYPE.CNAME) answers.push(rr(q.name, TYPE.CNAME, r.ttl, writeName(r.content)));
        }
      }
      if (found.length === 0 && !o.records().some((r) => r.name.toLowerCase().endsWith(`.${q.name}`))) rcode = 3; // NXDOMAIN (no records and no names below)
    }
    const head = Buffer.alloc(12);
    head.writeUInt16BE(id, 0);
    // QR=1, opcode from the query, AA=1, RD copied; RA=0 (authoritative only).
    head.writeUInt16BE(0x8000 | (msg.readUInt16BE(2) & 0x7800) | 0x0400 | (msg.readUInt16BE(2) & 0x0100) | rcode, 2);
    head.writeUInt16BE(1, 4);
    head.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([head, question, ...answers]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => socket.bind(o.port ?? 0, o.host ?? '127.0.0.1', () => r()));
  const port = socket.address().port;
  return { server: `${o.host ?? '127.0.0.1'}:${port}`, port, questions, close: () => new Promise<void>((r) => socket.close(() => r())) };
}
