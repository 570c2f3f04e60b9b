// The proxy reader: both written forms, the canonical URL Playwright reads back, the refusals
// (socks5 with credentials among them) and that no result ever carries a password it was given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSameProxy, parseProxy } from '../../../src/tasks/fleet/proxy.ts';

/** What src/jobs/warmup-runner.ts hands Playwright: the credentials decoded from the stored URL. */
function playwrightView(url: string) {
  const u = new URL(url);
  return {
    server: `${u.protocol}//${u.host}`,
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

const ok = (text: string) => {
  const parsed = parseProxy(text);
  if (!parsed.ok) throw new Error(`refused ${text}: ${parsed.reason}`);
  return parsed.proxy;
};

describe('parseProxy', () => {
  it('reads the sellers’ host:port:user:pass as an http proxy, the password intact', () => {
    const proxy = ok('Proxy.Example.com:8080:bob:s3cr:et@/#');
    expect(proxy).toEqual({
      url: 'http://bob:s3cr%3Aet%40%2F%23@proxy.example.com:8080',
      host: 'proxy.example.com:8080',
      scheme: 'http',
      hasPassword: true,
    });
    expect(playwrightView(proxy.url)).toEqual({
      server: 'http://proxy.example.com:8080',
      username: 'bob',
      password: 's3cr:et@/#',
    });
  });

  it('reads host:port, URLs of each scheme, and user:pass@host:port', () => {
    expect(ok('10.0.0.1:3128')).toMatchObject({ url: 'http://10.0.0.1:3128', hasPassword: false });
    expect(ok('HTTPS://u:p%40ss@H.example:443/')).toMatchObject({
      url: 'https://u:p%40ss@h.example:443',
      host: 'h.example:443',
      hasPassword: true,
    });
    expect(ok('socks5://10.1.2.3:1080')).toMatchObject({ scheme: 'socks5', host: '10.1.2.3:1080' });
    expect(ok('user:pw@1.2.3.4:8000')).toMatchObject({ url: 'http://user:pw@1.2.3.4:8000' });
    expect(ok('http://[2001:db8::1]:8080')).toMatchObject({ host: '[2001:db8::1]:8080' });
    expect(ok('http://token@h.example:80')).toMatchObject({
      url: 'http://token@h.example:80',
      hasPassword: false,
    });
    // An unencoded password with '@' in a URL: the last '@' ends the credentials.
    expect(playwrightView(ok('http://u:p@ss@h.example:1').url).password).toBe('p@ss');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['socks4://h.example:1080', 'unsupportedScheme'],
    ['ftp://h.example:21', 'unsupportedScheme'],
    ['http://h.example', 'missingPort'],
    ['h.example', 'missingPort'],
    ['http://h.example:', 'missingPort'],
    ['h.example::u:p', 'missingPort'],
    ['http://h.example:0', 'badPort'],
    ['http://h.example:65536', 'badPort'],
    ['h.example:80x', 'badPort'],
    ['http://bad_host!:80', 'badHost'],
    ['999.1.1.1:80', 'badHost'],
    ['http://:pw@h.example:80', 'badCredentials'],
    ['socks5://u:p@h.example:1080', 'socks5Auth'],
    ['socks5://u@h.example:1080', 'socks5Auth'],
    ['h.example:80:u', 'badFormat'],
    ['http://h.example:80/path', 'badFormat'],
    ['http://u:p w@h.example:80', 'badFormat'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseProxy(text)).toEqual({ ok: false, reason });
  });

  it('compares proxies however they were written', () => {
    expect(isSameProxy('http://u:p@H.example:8080/', ok('h.example:8080:u:p'))).toBe(true);
    expect(isSameProxy('http://u:p@h.example:8080', ok('h.example:8080:u:other'))).toBe(false);
    expect(isSameProxy(null, null)).toBe(true);
    expect(isSameProxy(null, ok('h.example:1'))).toBe(false);
  });
});

const hostArb = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9](\.[a-z]{2,6}){1,2}$/),
);
const portArb = fc.integer({ min: 1, max: 65_535 });
// Printable, no whitespace; a user name in the sellers' form cannot hold ':'.
const userArb = fc.stringMatching(/^[\x21-\x39\x3b-\x7e]{1,20}$/);
const passArb = fc.stringMatching(/^[\x21-\x7e]{6,30}$/);

describe('parseProxy properties', () => {
  it('the sellers’ form and the URL form give the same proxy, which Playwright reads back exactly', () => {
    fc.assert(
      fc.property(hostArb, portArb, userArb, passArb, (host, port, user, pass) => {
        const seller = ok(`${host}:${port}:${user}:${pass}`);
        const url = ok(`http://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${host}:${port}`);
        expect(url).toEqual(seller);
        expect(seller.host).toBe(`${host}:${port}`);
        expect(playwrightView(seller.url)).toEqual({
          server: `http://${host}:${port}`,
          username: user,
          password: pass,
        });
        // Canonical: reading the stored URL again changes nothing.
        expect(ok(seller.url)).toEqual(seller);
      }),
    );
  });

  it('never returns a password it was given, whether it accepts or refuses', () => {
    const input = fc.oneof(
      fc
        .tuple(hostArb, portArb, userArb, passArb)
        .map(([h, p, u, pw]) => ({ text: `${h}:${p}:${u}:${pw}`, pw })),
      fc
        .tuple(fc.constantFrom('socks5', 'socks4', 'http'), hostArb, fc.string(), userArb, passArb)
        .map(([s, h, port, u, pw]) => ({ text: `${s}://${u}:${pw}@${h}:${port}`, pw })),
      fc.tuple(fc.string(), passArb).map(([junk, pw]) => ({ text: `${junk}${pw}${junk}`, pw })),
    );
    fc.assert(
      fc.property(input, ({ text, pw }) => {
        const parsed = parseProxy(text);
        if (parsed.ok) expect(parsed.proxy.host).not.toContain(pw);
        else expect(JSON.stringify(parsed)).not.toContain(pw);
      }),
    );
  });

  it('refuses every socks5 proxy with credentials, and never throws on any text', () => {
    fc.assert(
      fc.property(hostArb, portArb, userArb, fc.option(passArb), (host, port, user, pass) => {
        const text = `socks5://${encodeURIComponent(user)}${pass ? `:${encodeURIComponent(pass)}` : ''}@${host}:${port}`;
        expect(parseProxy(text)).toEqual({ ok: false, reason: 'socks5Auth' });
      }),
    );
    fc.assert(fc.property(fc.string(), (text) => void parseProxy(text)));
  });
});
