// The logger's own guard against secrets: literal secret values scrubbed from every line (in any
// field, JSON or pretty), secret-shaped fields redacted, credentials in URLs hidden, errors written
// by the safe serializer — so a careless log call still writes no token, key, cookie or password.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../src/logger.ts';
import { captureLog } from './support/log-capture.ts';

const TOKEN = '7000000001:AAH-secret-bot-token-value';
const KEY = 'c0ffee00c0ffee00c0ffee00c0ffee00';

describe('scrubbing known secret values', () => {
  it('takes every known value out of the line, wherever it stands', () => {
    const { log, text, lines } = captureLog({ secrets: [TOKEN, KEY] });
    log.info(
      { url: `https://api.telegram.org/bot${TOKEN}/getMe`, nested: { note: `key=${KEY}` } },
      `with ${TOKEN}`,
    );
    expect(lines()).toHaveLength(1);
    expect(text()).not.toContain(TOKEN);
    expect(text()).not.toContain(KEY);
    expect(lines()[0]).toMatchObject({
      msg: 'with [redacted]',
      url: 'https://api.telegram.org/bot[redacted]/getMe',
      nested: { note: 'key=[redacted]' },
    });
  });

  it('leaves values under 8 characters (they would scrub ordinary words) and missing ones alone', () => {
    const { log, lines } = captureLog({ secrets: ['short', '', 'x'.repeat(7)] });
    log.info('a short word stays; xxxxxxx too');
    expect(lines()[0]?.msg).toBe('a short word stays; xxxxxxx too');
    expect(scrubSecrets('nothing here', [])).toBe('nothing here');
  });

  it('scrubs the pretty format too', () => {
    const chunks: string[] = [];
    const destination = new PassThrough().on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const log = createLogger({ level: 'info', format: 'pretty', secrets: [TOKEN], destination });
    log.info({ token2: TOKEN }, `sent with ${TOKEN}`);
    const written = chunks.join('');
    expect(written).toContain('sent with [redacted]');
    expect(written).not.toContain(TOKEN);
  });
});

describe('redacting secret-shaped fields', () => {
  it('redacts token, password, cookies, storage state, secrets key, proxy password and authorization', () => {
    const { log, lines } = captureLog();
    log.info(
      {
        token: 'a',
        password: 'b',
        cookies: [{ value: 'c' }],
        storageState: { cookies: [] },
        secretsKey: 'd',
        proxy: { host: 'proxy.example', password: 'e' },
        headers: { authorization: 'Bearer f', accept: 'json' },
        account: { token: 'g', password: 'h', cookies: 'i', storageState: 'j', secretsKey: 'k' },
      },
      'fields',
    );
    expect(lines()[0]).toMatchObject({
      token: '[redacted]',
      password: '[redacted]',
      cookies: '[redacted]',
      storageState: '[redacted]',
      secretsKey: '[redacted]',
      proxy: { host: 'proxy.example', password: '[redacted]' },
      headers: { authorization: '[redacted]', accept: 'json' },
      account: {
        token: '[redacted]',
        password: '[redacted]',
        cookies: '[redacted]',
        storageState: '[redacted]',
        secretsKey: '[redacted]',
      },
    });
  });
});

describe('credentials in URLs', () => {
  it('hides the password of any URL in any string, keeping the user and the host', () => {
    const { log, text, lines } = captureLog();
    log.warn(
      { proxyUrl: 'http://user:pr0xy-pass@proxy.example:8080' },
      'via socks5://u:s0cks-pass@10.0.0.1:1080',
    );
    expect(text()).not.toMatch(/pr0xy-pass|s0cks-pass/);
    expect(lines()[0]).toMatchObject({
      proxyUrl: 'http://user:[redacted]@proxy.example:8080',
      msg: 'via socks5://u:[redacted]@10.0.0.1:1080',
    });
  });
});

describe('errors', () => {
  it('are written by the safe serializer: a failed query names no parameter, causes keep only their message', () => {
    const { log, text, lines } = captureLog({ secrets: [TOKEN] });
    const query = Object.assign(
      new Error('Failed query: update accounts set proxy_url = $1\nparams: http://u:p4ss@h:1'),
      {
        params: ['http://u:p4ss@h:1'],
      },
    );
    const err = new Error(`could not reach bot${TOKEN}`, { cause: query });
    log.error({ err }, 'failed');
    expect(text()).not.toMatch(/p4ss|params|proxy_url/);
    expect(text()).not.toContain(TOKEN);
    expect(lines()[0]).toMatchObject({
      err: {
        type: 'Error',
        message: 'could not reach bot[redacted]',
        cause: { type: 'Error', message: 'database query failed' },
      },
    });
  });
});
