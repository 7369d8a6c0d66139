/**
 * Sites the app may open in the user's browser: Akash's own sites, the code host and docs the
 * checks link to. Anything else is refused, so a compromised page cannot use the app to open
 * arbitrary URLs (or `file:`/custom-protocol handlers) on the machine.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'akash.network',
  'github.com',
  'docs.nvidia.com',
  'docs.docker.com',
  'www.nvidia.com',
  'learn.microsoft.com',
  'console.akash.network',
  'stats.akash.network',
];

/** https only, no credentials in the URL, host on the list (or a subdomain of an entry). */
export function isAllowedExternalUrl(raw: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  if (url.port !== '' && url.port !== '443') return false;
  const host = url.hostname.toLowerCase();
  return hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}
