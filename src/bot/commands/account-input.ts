// Validation of account input typed in the bot: TikTok usernames and proxy URLs. Pure; the proxy's
// password is a secret, so nothing here ever puts it into a message.

const USERNAME_RE = /^@?([A-Za-z0-9_.]{2,24})$/;
const ACCOUNT_REF_RE = /^@?([A-Za-z0-9_.]{1,24})$/;
// The port must be written out (URL drops a default one, e.g. :80); credentials are optional.
const PROXY_RE = /^https?:\/\/(?:[^\s/@]+@)?(?:[^\s/:@[\]]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}\/?$/i;

/** 'alice' or '@alice' → 'alice'; undefined when it cannot be a TikTok username. */
export function parseUsername(text: string): string | undefined {
  return USERNAME_RE.exec(text.trim())?.[1];
}

/** A name that may refer to an existing account: as above, but rows made otherwise may be shorter. */
export function parseAccountRef(text: string): string | undefined {
  return ACCOUNT_REF_RE.exec(text.trim())?.[1];
}

export type ProxyUrl = { url: string; host: string; hasPassword: boolean };

/** http(s)://[user:pass@]host:port, nothing more; undefined for anything else. */
export function parseProxyUrl(text: string): ProxyUrl | undefined {
  const trimmed = text.trim();
  if (!PROXY_RE.test(trimmed) || !URL.canParse(trimmed)) return undefined;
  const url = new URL(trimmed);
  if (url.password && !url.username) return undefined;
  return { url: trimmed.replace(/\/$/, ''), host: hostAndPort(url), hasPassword: url.password !== '' };
}

/** URL.host drops a default port (:80 for http); a proxy's port is worth showing anyway. */
function hostAndPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}
