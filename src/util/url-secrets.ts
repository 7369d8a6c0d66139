const REDACTED = '[redacted]';

/** Query parameters whose value is a credential (`?key=…`, `&token=…`, `apikey=`…), whatever its length. */
const SECRET_QUERY = /([?&;](?:key|apikey|api[_-]key|token|access[_-]token|auth|authorization|secret|client[_-]secret|password|passwd|pass|pwd|sig|signature|session|code)=)([^&#\s"'<>]+)/gi;
/** `scheme://user:password@host` and `scheme://TOKEN@host` (GitHub-style token as the user name). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{1,20}:\/\/)([^\s/?#@"'<>]+)@/gi;
const URL = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s"'<>]+/gi;
/** Public ids that look random but are not secrets: Akash addresses, upper-case tx hashes, plain numbers. */
const PUBLIC_SEGMENT = /^(akash1[02-9ac-hj-np-z]{38}|[0-9A-F]{64}|\d+)$/;

/** A path segment that looks like a key (an RPC provider puts API keys in the path: `/v3/<key>`). */
function looksLikeKey(segment: string): boolean {
  return segment.length >= 20 && /^[A-Za-z0-9_-]+$/.test(segment) && /\d/.test(segment) && /[A-Za-z]/.test(segment) && !PUBLIC_SEGMENT.test(segment);
}

function redactUserinfo(_m: string, scheme: string, userinfo: string): string {
  const colon = userinfo.indexOf(':');
  if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
  // A user name alone is usually a name; a long one is a token used as the user.
  return userinfo.length >= 16 ? `${scheme}${REDACTED}@` : `${scheme}${userinfo}@`;
}

function redactPath(url: string): string {
  const schemeEnd = url.indexOf('://') + 3;
  const pathStart = url.indexOf('/', schemeEnd);
  if (pathStart < 0) return url;
  const tailStart = url.slice(pathStart).search(/[?#]/);
  const pathEnd = tailStart < 0 ? url.length : pathStart + tailStart;
  const redactedPath = url
    .slice(pathStart, pathEnd)
    .split('/')
    .map((seg) => (looksLikeKey(seg) ? REDACTED : seg))
    .join('/');
  return `${url.slice(0, pathStart)}${redactedPath}${url.slice(pathEnd)}`;
}

/** Credentials inside URLs: user:password, key-like path segments and secret query values. */
export function redactUrlSecrets(text: string): string {
  if (!text.includes('://') && !/[?&;][a-z_-]+=/i.test(text)) return text;
  return text
    .replace(URL_USERINFO, redactUserinfo)
    .replace(URL, (u) => redactPath(u))
    .replace(SECRET_QUERY, (_m, head: string) => `${head}${REDACTED}`);
}
