import { X509Certificate } from 'node:crypto';

/**
 * When the provider certificate expires and whether RigLease renews it now. Light on purpose
 * (node:crypto only): the Agent's diagnostics check imports it without loading the chain libraries.
 *
 * RigLease renews RENEW_AHEAD_DAYS before expiry, well before the provider chart's
 * `refresh_provider_cert.sh`, which publishes a certificate of its own once either copy expires
 * within 7 days (`openssl x509 -checkend 604800`).
 */
export const RENEW_AHEAD_DAYS = 30;

export interface CertificateExpiry {
  notAfter: Date;
  /** Whole days left (negative once expired). */
  daysLeft: number;
  /** Within RENEW_AHEAD_DAYS of expiry (or expired): the next registration publishes a new one. */
  renewDue: boolean;
}

/** `now` is a parameter so a test need not wait a year. Throws on a PEM that is not a certificate. */
export function certificateExpiry(cert: string | { notAfter: Date }, now = new Date()): CertificateExpiry {
  const notAfter = typeof cert === 'string' ? new Date(new X509Certificate(cert).validTo) : cert.notAfter;
  const leftMs = notAfter.getTime() - now.getTime();
  return { notAfter, daysLeft: Math.floor(leftMs / 86_400_000), renewDue: leftMs < RENEW_AHEAD_DAYS * 86_400_000 };
}
