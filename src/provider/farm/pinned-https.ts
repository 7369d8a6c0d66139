import { createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
import { isIP } from 'node:net';
import tls, { type PeerCertificate } from 'node:tls';
import { RigError } from '../../api/errors.js';

/**
 * HTTPS to the farm controller, trusting exactly the certificate whose SHA-256 fingerprint the
 * join code carries. First a handshake that sends nothing reads the certificate and checks the
 * pin; then every request trusts only that certificate (`ca`) and checks the pin again in
 * `checkServerIdentity` (Node calls it once the chain verified; a mismatch ends the connection
 * before the request, and its credentials, are written). No name check: the controller is
 * reached by its LAN address, which no certificate authority would vouch for anyway.
 */
export interface PinnedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const sha256Hex = (der: Buffer): string => createHash('sha256').update(der).digest('hex');

export function impostor(address: string): RigError {
  return new RigError(
    'forbidden',
    `The machine answering at ${address} is not the controller that made this join code (its certificate does not match the one in the code). Nothing was sent to it.`,
    'Make sure the code came from your own controller and that no other device took its address, then make a new code there (`riglease farm token`).',
  );
}

/** The controller's certificate (PEM) after checking its fingerprint; nothing is sent but the TLS handshake. */
export function fetchPinnedCert(host: string, port: number, fingerprint: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({ host, port, rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) });
    const timer = setTimeout(() => sock.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs);
    sock.once('secureConnect', () => {
      clearTimeout(timer);
      const der = sock.getPeerCertificate(false).raw as Buffer | undefined;
      sock.end();
      if (!der || sha256Hex(der) !== fingerprint) return reject(impostor(`${host}:${port}`));
      resolve(new X509Certificate(der).toString());
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export function pinnedRequest(o: { url: URL; method: string; headers: Record<string, string>; body?: string; caPem: string; fingerprint: string; timeoutMs: number }): Promise<PinnedResponse> {
  return new Promise((resolve, reject) => {
    const host = o.url.hostname.replace(/^\[|\]$/g, '');
    const req = https.request(
      {
        host,
        port: Number(o.url.port || 443),
        path: `${o.url.pathname}${o.url.search}`,
        method: o.method,
        headers: o.headers,
        ca: [o.caPem],
        agent: false,
        checkServerIdentity: (_name: string, cert: PeerCertificate) => (sha256Hex(cert.raw) === o.fingerprint ? undefined : impostor(o.url.host)),
        timeout: o.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          // A fleet answer is a few KiB; anything far larger is not one.
          if (size > 4 * 1024 * 1024) req.destroy(new Error('answer too large'));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end(o.body);
  });
}
