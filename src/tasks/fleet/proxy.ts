// The one reader of a proxy as people write it: a URL (http, https, socks5) or the sellers'
// `host:port:user:pass` / `host:port`. Pure. The result is a canonical URL (credentials
// percent-encoded, host lower-cased) and the host:port to show; a refusal is a code, never the input,
// which may hold a password.

export const PROXY_SCHEMES = ['http', 'https', 'socks5'] as const;
export type ProxyScheme = (typeof PROXY_SCHEMES)[number];

export type ParsedProxy = {
  /** scheme://[user[:pass]@]host:port, what an account stores: secret. */
  url: string;
  /** host:port, for display: never a credential. */
  host: string;
  scheme: ProxyScheme;
  hasPassword: boolean;
};

export type ProxyReason =
  | 'empty'
  /** socks4://, ftp://… */
  | 'unsupportedScheme'
  | 'missingPort'
  | 'badPort'
  | 'badHost'
  /** A password without a user name, or a control character in either. */
  | 'badCredentials'
  /**
   * socks5 with a user name or password: Chromium has no SOCKS5 authentication and Playwright
   * refuses the context ("Browser does not support socks5 proxy authentication"), so every
   * session would fail.
   */
  | 'socks5Auth'
  /** Anything else: spaces, a path, `host:port:user` without a password… */
  | 'badFormat';

export type ProxyParse = { ok: true; proxy: ParsedProxy } | { ok: false; reason: ProxyReason };

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
// host:port first: a seller's password may hold '@' or ':'.
const SELLER_RE = /^([^:@/[\]]+):(\d*):([^:]*):(.*)$/;
const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const HOSTNAME_RE = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const IPV4_RE = /^\d{1,3}(?:\.\d{1,3}){3}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

export function parseProxy(input: string): ProxyParse {
  const text = input.trim();
  if (text === '') return refuse('empty');
  if (/\s/.test(text)) return refuse('badFormat');
  const scheme = SCHEME_RE.exec(text);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (!isProxyScheme(name)) return refuse('unsupportedScheme');
    return readAuthority(name, text.slice(scheme[0].length).replace(/\/$/, ''));
  }
  const seller = SELLER_RE.exec(text);
  if (seller) return build('http', seller[1]!, seller[2]!, seller[3]!, seller[4]!);
  return readAuthority('http', text);
}

/** Whether a stored proxy and a new one are the same proxy (however each was written). */
export function isSameProxy(stored: string | null | undefined, next: ParsedProxy | null): boolean {
  if (!stored || !next) return !stored && !next;
  const parsed = parseProxy(stored);
  return parsed.ok ? parsed.proxy.url === next.url : false;
}

export function isProxyScheme(name: string): name is ProxyScheme {
  return (PROXY_SCHEMES as readonly string[]).includes(name);
}

/** `[user[:pass]@]host:port`, the credentials percent-encoded (a stray '%' is taken as it is). */
function readAuthority(scheme: ProxyScheme, rest: string): ProxyParse {
  // The last '@' ends the credentials: a password pasted unencoded may hold another one.
  const at = rest.lastIndexOf('@');
  const hostPort = at < 0 ? rest : rest.slice(at + 1);
  if (/[/?#]/.test(hostPort)) return refuse('badFormat');
  const colon = hostPort.lastIndexOf(':');
  const bracketed = hostPort.startsWith('[');
  if (colon < 0 || (bracketed && colon < hostPort.indexOf(']'))) return refuse('missingPort');
  const host = hostPort.slice(0, colon);
  const port = hostPort.slice(colon + 1);
  if (!bracketed && host.includes(':')) return refuse('badFormat');
  if (at < 0) return build(scheme, host, port, undefined, undefined);
  const info = rest.slice(0, at);
  const split = info.indexOf(':');
  const user = decodeLoosely(split < 0 ? info : info.slice(0, split));
  const pass = split < 0 ? undefined : decodeLoosely(info.slice(split + 1));
  return build(scheme, host, port, user, pass);
}

function build(
  scheme: ProxyScheme,
  rawHost: string,
  port: string,
  user: string | undefined,
  pass: string | undefined,
): ProxyParse {
  const host = readHost(rawHost);
  if (!host) return refuse('badHost');
  if (port === '') return refuse('missingPort');
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) return refuse('badPort');
  const portNumber = String(Number(port));
  const withUser = user !== undefined && user !== '';
  if (!withUser && pass) return refuse('badCredentials');
  if ((user && CONTROL_RE.test(user)) || (pass && CONTROL_RE.test(pass))) return refuse('badCredentials');
  if (scheme === 'socks5' && (withUser || pass)) return refuse('socks5Auth');
  const credentials = withUser
    ? `${encodeURIComponent(user)}${pass ? `:${encodeURIComponent(pass)}` : ''}@`
    : '';
  const url = `${scheme}://${credentials}${host}:${portNumber}`;
  if (!URL.canParse(url)) return refuse('badFormat');
  return {
    ok: true,
    proxy: { url, host: `${host}:${portNumber}`, scheme, hasPassword: withUser && !!pass },
  };
}

/** A lower-cased host name, IPv4 address or bracketed IPv6 address; undefined for anything else. */
function readHost(raw: string): string | undefined {
  const host = raw.toLowerCase();
  if (IPV4_RE.test(host)) return host.split('.').every((n) => Number(n) <= 255) ? host : undefined;
  if (host.startsWith('[')) {
    if (!/^\[[0-9a-f:.]+\]$/.test(host) || !URL.canParse(`http://${host}:1`)) return undefined;
    return new URL(`http://${host}:1`).hostname;
  }
  return host.length <= 253 && HOSTNAME_RE.test(host) && !/^[\d.]+$/.test(host) ? host : undefined;
}

/** Percent-decoding that leaves a stray '%' as it is (a password typed unencoded). */
function decodeLoosely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function refuse(reason: ProxyReason): ProxyParse {
  return { ok: false, reason };
}
