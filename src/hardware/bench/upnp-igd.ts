import { createSocket } from 'node:dgram';
import { XMLParser } from 'fast-xml-parser';

/**
 * UPnP Internet Gateway Device port mapping (UPnP Device Architecture 1.0/1.1, IGD:1 and IGD:2,
 * WANIPConnection:1/2 and WANPPPConnection:1). Discovery is SSDP M-SEARCH over UDP (multicast
 * 239.255.255.250:1900 on a real LAN; tests point it at a loopback responder), then the device
 * description over HTTP, then SOAP actions on the connection service's controlURL.
 * Traffic only flows when the user asked the router to forward ports.
 */
export const SSDP_ADDRESS = '239.255.255.250';
export const SSDP_PORT = 1900;

/** The connection services that can map ports, best first (IGD:2's WANIPConnection:2 first). */
export const CONNECTION_SERVICES = ['urn:schemas-upnp-org:service:WANIPConnection:2', 'urn:schemas-upnp-org:service:WANIPConnection:1', 'urn:schemas-upnp-org:service:WANPPPConnection:1'] as const;
const SEARCH_TARGETS = ['urn:schemas-upnp-org:device:InternetGatewayDevice:1', 'urn:schemas-upnp-org:device:InternetGatewayDevice:2'];

/** UPnP error codes an IGD answers AddPortMapping with (WANIPConnection:2 §2.4.16), in plain words. */
const UPNP_ERRORS: Record<number, string> = {
  402: 'the router rejected the request\u2019s arguments',
  501: 'the router failed to carry out the request',
  606: 'the router does not allow this machine to change port mappings',
  714: 'the router has no such mapping',
  715: 'the router does not accept a wildcard outside address',
  716: 'the router does not accept a wildcard outside port',
  718: 'another device already uses this outside port on the router',
  724: 'the router only maps an outside port to the same inside port',
  725: 'the router only keeps permanent mappings',
  728: 'the router\u2019s port-mapping table is full',
  729: 'the router refuses to map a port this low',
};

export interface SsdpAnswer {
  location: string;
  st: string | null;
  usn: string | null;
  server: string | null;
}

/** The M-SEARCH request (UDA 1.1 §1.3.2): the HOST header names the multicast group even when sent unicast. */
export function mSearchMessage(st: string, mx = 2): string {
  return `M-SEARCH * HTTP/1.1\r\nHOST: ${SSDP_ADDRESS}:${SSDP_PORT}\r\nMAN: "ssdp:discover"\r\nMX: ${mx}\r\nST: ${st}\r\n\r\n`;
}

/** Reads an SSDP search answer (HTTP/1.1 200 over UDP, case-insensitive headers); null if it is not one with a LOCATION. */
export function parseSsdpAnswer(text: string): SsdpAnswer | null {
  const lines = text.split(/\r?\n/);
  if (!/^HTTP\/1\.[01] 200\b/i.test(lines[0] ?? '')) return null;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const location = headers.get('location');
  if (!location || !/^https?:\/\//i.test(location)) return null;
  return { location, st: headers.get('st') ?? null, usn: headers.get('usn') ?? null, server: headers.get('server') ?? null };
}

export interface IgdService {
  serviceType: (typeof CONNECTION_SERVICES)[number];
  controlUrl: string;
  /** friendlyName / modelName of the root device, for messages. */
  name: string;
}

const xml = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true, isArray: (name) => name === 'device' || name === 'service' });

interface DescDevice {
  friendlyName?: string;
  modelName?: string;
  serviceList?: { service?: { serviceType?: string; controlURL?: string }[] } | string;
  deviceList?: { device?: DescDevice[] } | string;
}

/** Finds the port-mapping service in a device description (walking embedded devices) and resolves its controlURL. */
export function parseDeviceDescription(text: string, location: string): IgdService | null {
  const doc = xml.parse(text) as { root?: { URLBase?: string; device?: DescDevice[] } };
  const root = doc.root?.device?.[0];
  if (!root) return null;
  const found = new Map<string, string>();
  const walk = (d: DescDevice) => {
    if (typeof d.serviceList === 'object') for (const s of d.serviceList.service ?? []) if (s.serviceType && s.controlURL && !found.has(s.serviceType)) found.set(s.serviceType, s.controlURL);
    if (typeof d.deviceList === 'object') for (const c of d.deviceList.device ?? []) walk(c);
  };
  walk(root);
  const base = doc.root?.URLBase && /^https?:\/\//.test(doc.root.URLBase) ? doc.root.URLBase : location;
  for (const serviceType of CONNECTION_SERVICES) {
    const control = found.get(serviceType);
    if (control) return { serviceType, controlUrl: new URL(control, base).toString(), name: root.modelName || root.friendlyName || 'the router' };
  }
  return null;
}

/** A SOAP 1.1 action request body (UDA §3.2.1). Values are XML-escaped. */
export function soapEnvelope(serviceType: string, action: string, args: [string, string | number][]): string {
  const esc = (v: string | number) => String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = args.map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('');
  return `<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:${action} xmlns:u="${serviceType}">${body}</u:${action}></s:Body></s:Envelope>\r\n`;
}

export type SoapResult = { ok: true; values: Record<string, string> } | { ok: false; code: number | null; description: string };

/** Reads an action response: the `<action>Response` out-arguments, or the UPnPError inside a SOAP Fault. */
export function parseSoapResponse(text: string, action: string): SoapResult {
  let doc: { Envelope?: { Body?: Record<string, unknown> } };
  try {
    doc = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true, trimValues: true }).parse(text) as typeof doc;
  } catch (err) {
    return { ok: false, code: null, description: `the router\u2019s answer is not XML (${(err as Error).message})` };
  }
  const body = doc.Envelope?.Body;
  if (!body) return { ok: false, code: null, description: 'the router\u2019s answer has no SOAP body' };
  const fault = body['Fault'] as { faultstring?: string; detail?: { UPnPError?: { errorCode?: string; errorDescription?: string } } } | undefined;
  if (fault) {
    const e = fault.detail?.UPnPError;
    const code = e?.errorCode !== undefined && /^\d+$/.test(e.errorCode) ? Number(e.errorCode) : null;
    return { ok: false, code, description: e?.errorDescription || fault.faultstring || 'SOAP fault' };
  }
  const response = body[`${action}Response`];
  if (response === undefined) return { ok: false, code: null, description: `the router did not answer ${action}` };
  const values: Record<string, string> = {};
  if (response && typeof response === 'object') for (const [k, v] of Object.entries(response)) if (typeof v === 'string' || typeof v === 'number') values[k] = String(v);
  return { ok: true, values };
}

export interface DiscoverOptions {
  /** Where M-SEARCH goes: the multicast group on a real LAN, a loopback responder in tests. */
  address?: string;
  port?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Sends M-SEARCH for IGD:1 and IGD:2 (twice, UDP may drop one) and returns the first answer with a LOCATION, or null. */
export async function discoverIgd(opts: DiscoverOptions = {}): Promise<SsdpAnswer | null> {
  const address = opts.address ?? SSDP_ADDRESS;
  const port = opts.port ?? SSDP_PORT;
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  try {
    return await new Promise<SsdpAnswer | null>((resolve) => {
      const timers: NodeJS.Timeout[] = [];
      const finish = (v: SsdpAnswer | null) => {
        for (const t of timers) clearTimeout(t);
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const onAbort = () => finish(null);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      socket.on('message', (msg, rinfo) => {
        const answer = parseSsdpAnswer(msg.toString('utf8'));
        // The description must live on the device that answered: another LAN host cannot send us elsewhere.
        if (answer && hostOf(answer.location) === rinfo.address) finish(answer);
      });
      socket.on('error', () => finish(null));
      const send = () => {
        for (const st of SEARCH_TARGETS) socket.send(mSearchMessage(st), port, address, () => undefined);
      };
      socket.bind(0, () => {
        send();
        timers.push(setTimeout(send, Math.min(500, (opts.timeoutMs ?? 2500) / 3)));
        timers.push(setTimeout(() => finish(null), opts.timeoutMs ?? 2500));
      });
    });
  } finally {
    socket.close();
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

export type FindIgdResult = { ok: true; service: IgdService; ssdp: SsdpAnswer } | { ok: false; message: string };

/** Discovery, then the device description: the router's port-mapping service, or why there is none. */
export async function findIgd(opts: DiscoverOptions = {}): Promise<FindIgdResult> {
  const ssdp = await discoverIgd(opts);
  if (!ssdp) return { ok: false, message: 'No router answered UPnP discovery; UPnP is off on the router or not supported.' };
  let text: string;
  try {
    const res = await fetch(ssdp.location, { signal: AbortSignal.any([AbortSignal.timeout(5000), ...(opts.signal ? [opts.signal] : [])]) });
    if (!res.ok) return { ok: false, message: `The router\u2019s UPnP description (${ssdp.location}) answered HTTP ${res.status}.` };
    text = await res.text();
  } catch (err) {
    return { ok: false, message: `The router\u2019s UPnP description (${ssdp.location}) could not be read: ${(err as Error).message}.` };
  }
  const service = parseDeviceDescription(text, ssdp.location);
  if (!service) return { ok: false, message: 'The router speaks UPnP but offers no port-mapping service (no WANIPConnection or WANPPPConnection).' };
  if (hostOf(service.controlUrl) !== hostOf(ssdp.location)) return { ok: false, message: `The router\u2019s UPnP description points its control address at another host (${hostOf(service.controlUrl)}); RigLease does not follow it.` };
  return { ok: true, service, ssdp };
}

/** Sends one SOAP action to the service's controlURL (UDA §3.2.1: POST, text/xml, quoted SOAPAction). */
export async function soapCall(service: IgdService, action: string, args: [string, string | number][], signal?: AbortSignal): Promise<SoapResult> {
  try {
    const res = await fetch(service.controlUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset="utf-8"', SOAPAction: `"${service.serviceType}#${action}"` },
      body: soapEnvelope(service.serviceType, action, args),
      signal: AbortSignal.any([AbortSignal.timeout(5000), ...(signal ? [signal] : [])]),
    });
    // Faults come with HTTP 500 and a SOAP body; both are read the same way.
    return parseSoapResponse(await res.text(), action);
  } catch (err) {
    return { ok: false, code: null, description: `the router could not be reached (${(err as Error).message})` };
  }
}

export async function upnpExternalAddress(service: IgdService, signal?: AbortSignal): Promise<string | null> {
  const r = await soapCall(service, 'GetExternalIPAddress', [], signal);
  const ip = r.ok ? r.values['NewExternalIPAddress']?.trim() : undefined;
  return ip ? ip : null;
}

export interface UpnpMapping {
  ok: boolean;
  externalPort: number | null;
  /** Seconds the router keeps it; 0 = permanent (the router only accepts those). */
  lifetimeSec: number | null;
  message: string;
  code: number | null;
}

export function upnpErrorText(code: number | null, description: string): string {
  return (code !== null ? UPNP_ERRORS[code] : undefined) ?? `the router answered ${code !== null ? `error ${code} ` : ''}(${description})`;
}

/**
 * AddPortMapping for TCP from the outside port to this machine's port. A router that only keeps
 * permanent mappings (error 725, OnlyPermanentLeasesSupported) is asked again with lease 0.
 */
export async function upnpMapTcp(service: IgdService, o: { internalClient: string; internalPort: number; externalPort: number; lifetimeSec: number; description: string; signal?: AbortSignal }): Promise<UpnpMapping> {
  const ask = (lease: number) =>
    soapCall(
      service,
      'AddPortMapping',
      [
        ['NewRemoteHost', ''],
        ['NewExternalPort', o.externalPort],
        ['NewProtocol', 'TCP'],
        ['NewInternalPort', o.internalPort],
        ['NewInternalClient', o.internalClient],
        ['NewEnabled', 1],
        ['NewPortMappingDescription', o.description],
        ['NewLeaseDuration', lease],
      ],
      o.signal,
    );
  let lease = o.lifetimeSec;
  let r = await ask(lease);
  if (!r.ok && r.code === 725) {
    lease = 0;
    r = await ask(lease);
  }
  if (!r.ok) return { ok: false, externalPort: null, lifetimeSec: null, code: r.code, message: upnpErrorText(r.code, r.description) + (r.code === 718 ? `; free outside port ${o.externalPort} in the router or forward it by hand.` : '.') };
  return {
    ok: true,
    externalPort: o.externalPort,
    lifetimeSec: lease,
    code: null,
    message: `The router forwards outside TCP ${o.externalPort} to this machine\u2019s ${o.internalPort}${lease === 0 ? ' permanently (it only keeps permanent mappings; remove them here when done)' : ''}.`,
  };
}

export async function upnpUnmapTcp(service: IgdService, externalPort: number, signal?: AbortSignal): Promise<SoapResult> {
  return soapCall(service, 'DeletePortMapping', [['NewRemoteHost', ''], ['NewExternalPort', externalPort], ['NewProtocol', 'TCP']], signal);
}
