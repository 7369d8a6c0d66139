import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bench-fixtures', 'upnp');
export const upnpFixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

export interface StandInMapping {
  externalPort: number;
  internalPort: number;
  internalClient: string;
  lease: number;
  description: string;
}

export interface StandInIgd {
  /** Where M-SEARCH goes (unicast loopback instead of the multicast group). */
  ssdpPort: number;
  httpPort: number;
  /** Every SSDP datagram and every SOAPAction header received, in order. */
  searches: string[];
  actions: string[];
  mappings: Map<number, StandInMapping>;
  close: () => Promise<void>;
}

/**
 * A loopback UPnP IGD stand-in. It is NOT a captured router: it speaks the UPnP Device
 * Architecture formats (SSDP 200 answers with LOCATION/ST/USN, SOAP responses and UPnPError
 * faults with HTTP 500) and keeps a mapping table. The device description it serves is the
 * real MiniUPnPd 1.8 capture (test/bench-fixtures/upnp/miniupnpd-1.8_rootDesc.xml, relative
 * controlURL /ctl/IPConn, service WANIPConnection:2), unmodified.
 *
 * Behaviour knobs: `permanentOnly` answers 725 to any non-zero lease; `taken` answers 718 for
 * those outside ports; `externalIp` is what GetExternalIPAddress returns.
 */
export async function upnpStandInIgd(
  behaviour: {
    permanentOnly?: boolean;
    taken?: number[];
    externalIp?: string;
    /**
     * A router namespace's LAN address: HTTP listens there and SSDP listens on 0.0.0.0:1900,
     * joined to the multicast group 239.255.255.250 on that interface, as a real IGD does.
     * Absent: loopback, unicast only.
     */
    lanAddress?: string;
    /**
     * In a router namespace: a granted mapping also becomes an iptables DNAT rule for TCP arriving
     * on this (WAN) interface, so the mapping really forwards, as on a real router.
     */
    forwardOn?: string;
  } = {},
): Promise<StandInIgd> {
  const host = behaviour.lanAddress ?? '127.0.0.1';
  const description = upnpFixture('miniupnpd-1.8_rootDesc.xml');
  const service = 'urn:schemas-upnp-org:service:WANIPConnection:2';
  const searches: string[] = [];
  const actions: string[] = [];
  const mappings = new Map<number, StandInMapping>();

  const envelope = (inner: string) => `<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>${inner}</s:Body></s:Envelope>\r\n`;
  const fault = (code: number, text: string) =>
    envelope(`<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${code}</errorCode><errorDescription>${text}</errorDescription></UPnPError></detail></s:Fault>`);
  const arg = (body: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1] ?? '';

  const http: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/rootDesc.xml') {
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(description);
      return;
    }
    if (req.method !== 'POST' || req.url !== '/ctl/IPConn') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const soapAction = String(req.headers['soapaction'] ?? '');
      actions.push(soapAction);
      const action = /#(\w+)"?$/.exec(soapAction)?.[1] ?? '';
      const ok = (inner: string) => res.writeHead(200, { 'Content-Type': 'text/xml; charset="utf-8"' }).end(envelope(inner));
      const err = (code: number, text: string) => res.writeHead(500, { 'Content-Type': 'text/xml; charset="utf-8"' }).end(fault(code, text));
      if (!soapAction.startsWith(`"${service}#`)) return err(401, 'Invalid Action');
      if (action === 'GetExternalIPAddress') return ok(`<u:GetExternalIPAddressResponse xmlns:u="${service}"><NewExternalIPAddress>${behaviour.externalIp ?? '203.0.113.9'}</NewExternalIPAddress></u:GetExternalIPAddressResponse>`);
      if (action === 'AddPortMapping') {
        const externalPort = Number(arg(body, 'NewExternalPort'));
        const lease = Number(arg(body, 'NewLeaseDuration'));
        if (behaviour.permanentOnly && lease !== 0) return err(725, 'OnlyPermanentLeasesSupported');
        if (behaviour.taken?.includes(externalPort)) return err(718, 'ConflictInMappingEntry');
        const m = { externalPort, internalPort: Number(arg(body, 'NewInternalPort')), internalClient: arg(body, 'NewInternalClient'), lease, description: arg(body, 'NewPortMappingDescription') };
        mappings.set(externalPort, m);
        if (behaviour.forwardOn && /^\d+\.\d+\.\d+\.\d+$/.test(m.internalClient)) {
          execFileSync('iptables', ['-t', 'nat', '-A', 'PREROUTING', '-i', behaviour.forwardOn, '-p', 'tcp', '--dport', String(externalPort), '-j', 'DNAT', '--to-destination', `${m.internalClient}:${m.internalPort}`]);
        }
        return ok(`<u:AddPortMappingResponse xmlns:u="${service}"/>`);
      }
      if (action === 'DeletePortMapping') {
        if (!mappings.delete(Number(arg(body, 'NewExternalPort')))) return err(714, 'NoSuchEntryInArray');
        return ok(`<u:DeletePortMappingResponse xmlns:u="${service}"></u:DeletePortMappingResponse>`);
      }
      return err(401, 'Invalid Action');
    });
  });
  await new Promise<void>((r) => http.listen(0, host, () => r()));
  const httpPort = (http.address() as AddressInfo).port;

  const udp: Socket = createSocket({ type: 'udp4', reuseAddr: true });
  udp.on('message', (msg, rinfo) => {
    const text = msg.toString('utf8');
    searches.push(text);
    const st = /^ST:\s*(.+)$/im.exec(text)?.[1]?.trim();
    if (!text.startsWith('M-SEARCH * HTTP/1.1') || !st || !/InternetGatewayDevice:1|ssdp:all|upnp:rootdevice/.test(st)) return;
    const answer = `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: ${st}\r\nUSN: uuid:00000000-0000-4000-8000-000000000001::${st}\r\nEXT:\r\nSERVER: Linux/6 UPnP/1.1 riglease-test-igd/1\r\nLOCATION: http://${host}:${httpPort}/rootDesc.xml\r\n\r\n`;
    udp.send(answer, rinfo.port, rinfo.address);
  });
  if (behaviour.lanAddress) {
    await new Promise<void>((r) => udp.bind(1900, '0.0.0.0', () => r()));
    udp.addMembership('239.255.255.250', behaviour.lanAddress);
  } else await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));

  return {
    ssdpPort: udp.address().port,
    httpPort,
    searches,
    actions,
    mappings,
    close: async () => {
      udp.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
