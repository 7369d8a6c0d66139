import { stringify } from '../../util/lazy-yaml.js';
import { GATEWAY_NAMESPACE } from './chart-values.js';

/** Where the Akash charts run (the playbook's namespace). */
export const AKASH_NAMESPACE = 'akash-services';
export const NGF_NAMESPACE = 'nginx-gateway';
export const CERT_MANAGER_NAMESPACE = 'cert-manager';
export const DEVICE_PLUGIN_NAMESPACE = 'nvidia-device-plugin';

/**
 * The namespaces, labelled exactly as Akash's playbook creates them (provider-playbooks @4e78f28
 * roles/provider/tasks/install.yml "Create namespaces with labels"; the charts' own namespaces the
 * playbook lets Helm create, without labels). The provider selects its namespaces by
 * `akash.network`, so these exist with their labels before any chart runs.
 */
export function namespacesYaml(gpus: boolean): string {
  const ns = (name: string, labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } });
  const docs = [
    ns(AKASH_NAMESPACE, { 'akash.network/name': AKASH_NAMESPACE, 'akash.network': 'true' }),
    ns('lease', { 'akash.network': 'true' }),
    ns(GATEWAY_NAMESPACE, { 'akash.network/name': GATEWAY_NAMESPACE, 'akash.network': 'true' }),
    ns(NGF_NAMESPACE),
    ns(CERT_MANAGER_NAMESPACE),
    ...(gpus ? [ns(DEVICE_PLUGIN_NAMESPACE)] : []),
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}

/** Secrets the akash-gateway chart's HTTPS listeners name (its values.yaml `gateway.https.*CertificateSecret`). */
export const WILDCARD_TLS_SECRET = 'wildcard-ingress-tls';
export const DEFAULT_TLS_SECRET = 'akash-default-tls';
const ISSUER = 'riglease-selfsigned';

/**
 * The gateway's two HTTPS certificates as self-signed placeholders: what Akash's playbook makes
 * when no DNS-01 provider is configured (roles/provider/tasks/gateway_wildcard_tls.yml: openssl,
 * `*.ingress.<domain>` + `*.<domain>`; install.yml: `akash-default-tls` with CN `default`). Here
 * cert-manager issues them (a SelfSigned Issuer), so nothing is generated on the user's PC, and
 * renews them. Tenants who want a trusted certificate use their own domain with the provider's
 * Let's Encrypt. k3s retries these until cert-manager's CRDs exist.
 */
export function gatewayTlsYaml(domain: string): string {
  const meta = (name: string) => ({ name, namespace: GATEWAY_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'riglease' } });
  const cert = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: meta(name),
    spec: { secretName: name, issuerRef: { name: ISSUER, kind: 'Issuer' }, privateKey: { algorithm: 'RSA', size: 2048 }, ...spec },
  });
  const wildcard = `*.ingress.${domain}`;
  const docs = [
    { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta(ISSUER), spec: { selfSigned: {} } },
    // A common name may hold 64 characters at most; the DNS names are what clients check anyway.
    cert(WILDCARD_TLS_SECRET, { ...(wildcard.length <= 64 ? { commonName: wildcard } : {}), dnsNames: [`*.${domain}`, wildcard] }),
    cert(DEFAULT_TLS_SECRET, { commonName: 'default' }),
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}
