import { describe, expect, it } from 'vitest';
import { loadConfig, secretValues } from '../src/config.ts';

describe('loadConfig', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      role: 'all',
      telegram: {
        token: undefined,
        apiRoot: 'https://api.telegram.org',
        adminIds: [],
        webhook: undefined,
        updateConcurrency: 16,
      },
      database: { url: undefined, dataDir: './.data', embeddedPort: 54329 },
      worker: {
        concurrency: 2,
        shutdownGraceMs: 30_000,
        leaseSeconds: 30,
        heartbeatSeconds: 20,
        retryDelaySeconds: 15,
      },
      retention: { logLines: 30, screenshots: 30, audit: 180, jobs: 7 },
    });
  });

  it('reads retention and the account lease', () => {
    const config = loadConfig({
      RETENTION_LOG_DAYS: '14',
      RETENTION_AUDIT_DAYS: '365',
      RETENTION_JOB_DAYS: '3',
      ACCOUNT_LEASE_SECONDS: '45',
    });
    expect(config.retention).toEqual({ logLines: 14, screenshots: 14, audit: 365, jobs: 3 });
    expect(config.worker.leaseSeconds).toBe(45);
    expect(() => loadConfig({ RETENTION_LOG_DAYS: '0' })).toThrow(
      /RETENTION_LOG_DAYS: must be a whole number/,
    );
  });

  it('reads the heartbeat and the retry delay, within the range pg-boss accepts', () => {
    const config = loadConfig({ WORKER_HEARTBEAT_SECONDS: '10', SESSION_RETRY_DELAY_SECONDS: '1' });
    expect(config.worker).toMatchObject({ heartbeatSeconds: 10, retryDelaySeconds: 1 });
    expect(() => loadConfig({ WORKER_HEARTBEAT_SECONDS: '9' })).toThrow(
      /WORKER_HEARTBEAT_SECONDS: must be a whole number between 10 and 600 \(got "9"\)/,
    );
    expect(() => loadConfig({ SESSION_RETRY_DELAY_SECONDS: '0' })).toThrow(
      /SESSION_RETRY_DELAY_SECONDS: must be a whole number between 1 and 3600/,
    );
  });

  it('reads BOT_UPDATE_MAX_AGE as seconds or with a unit, 10 minutes by default', () => {
    expect(loadConfig({}).telegram.updateMaxAgeMs).toBe(600_000);
    expect(loadConfig({ BOT_UPDATE_MAX_AGE: ' ' }).telegram.updateMaxAgeMs).toBe(600_000);
    expect(loadConfig({ BOT_UPDATE_MAX_AGE: '90' }).telegram.updateMaxAgeMs).toBe(90_000);
    expect(loadConfig({ BOT_UPDATE_MAX_AGE: '600s' }).telegram.updateMaxAgeMs).toBe(600_000);
    expect(loadConfig({ BOT_UPDATE_MAX_AGE: '15m' }).telegram.updateMaxAgeMs).toBe(900_000);
    expect(loadConfig({ BOT_UPDATE_MAX_AGE: '2h' }).telegram.updateMaxAgeMs).toBe(7_200_000);
    for (const bad of ['10x', '5', '25h', '-1m', '1.5m'])
      expect(() => loadConfig({ BOT_UPDATE_MAX_AGE: bad })).toThrow(
        `BOT_UPDATE_MAX_AGE: must be a duration from 30s to 24h: seconds, or a number with s, m or h (e.g. 600, 10m, 1h) (got "${bad}")`,
      );
  });

  it('reads TIMEZONE as an IANA name, UTC by default, and refuses an unknown zone', () => {
    expect(loadConfig({}).timeZone).toBe('UTC');
    expect(loadConfig({ TIMEZONE: ' ' }).timeZone).toBe('UTC');
    expect(loadConfig({ TIMEZONE: 'Europe/Moscow' }).timeZone).toBe('Europe/Moscow');
    expect(() => loadConfig({ TIMEZONE: 'Moscow' })).toThrow(
      /TIMEZONE: must be an IANA timezone name such as Europe\/Moscow or UTC \(got "Moscow"\)/,
    );
  });

  it('reads every setting', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      TELEGRAM_ADMIN_IDS: '1, 22 ,333',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook',
      TELEGRAM_WEBHOOK_SECRET: 'abcdefghijklmnop_-',
      DATABASE_URL: 'postgres://u:p@db:5432/warmup',
      ROLE: 'worker',
      WORKER_CONCURRENCY: '4',
      BOT_UPDATE_CONCURRENCY: '32',
      SESSION_ENCRYPTION_KEY: 'ab'.repeat(32),
    });
    expect(config.telegram).toMatchObject({
      apiRoot: 'http://127.0.0.1:8081',
      adminIds: [1, 22, 333],
      webhook: {
        url: 'https://bot.example.org/hook',
        secret: 'abcdefghijklmnop_-',
        host: '127.0.0.1',
        port: 8443,
      },
      updateConcurrency: 32,
    });
    expect(config.security.secretsKey).toHaveLength(32);
    expect(config.worker.concurrency).toBe(4);
  });

  it('names each wrong variable, without echoing secrets', () => {
    const attempt = () =>
      loadConfig({
        TELEGRAM_BOT_TOKEN: 'not-a-token',
        TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook',
        SESSION_ENCRYPTION_KEY: 'short',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        LOG_LEVEL: 'loud',
      });
    expect(attempt).toThrow(/TELEGRAM_BOT_TOKEN: must look like/);
    expect(attempt).toThrow(/TELEGRAM_WEBHOOK_SECRET: is required with TELEGRAM_WEBHOOK_URL/);
    expect(attempt).toThrow(/SESSION_ENCRYPTION_KEY: must be 32 bytes/);
    expect(attempt).toThrow(/DATABASE_URL: must be a postgres/);
    expect(attempt).toThrow(/LOG_LEVEL: must be a pino level such as info \(got "loud"\)/);
    try {
      attempt();
    } catch (err) {
      expect(String(err)).not.toMatch(/hunter2|not-a-token|short/);
    }
  });

  it('serves the ops endpoint on loopback:8080 unless told otherwise; HTTP_PORT=0 picks a free port', () => {
    expect(loadConfig({}).http).toEqual({
      host: '127.0.0.1',
      port: 8080,
      adminPassword: undefined,
      trustedProxies: [],
      opsToken: undefined,
    });
    expect(loadConfig({ HTTP_PORT: '0', HTTP_HOST: 'localhost' }).http).toMatchObject({ port: 0 });
    expect(loadConfig({ HTTP_HOST: '::1' }).http.host).toBe('::1');
  });

  it('refuses a non-loopback HTTP_HOST without ADMIN_PASSWORD', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'ops.example.org']) {
      expect(() => loadConfig({ HTTP_HOST: host })).toThrow(
        /ADMIN_PASSWORD: is required when HTTP_HOST \(.+\) is not a loopback address/,
      );
    }
    const config = loadConfig({ HTTP_HOST: '0.0.0.0', ADMIN_PASSWORD: 'correct horse battery' });
    expect(config.http).toEqual({
      host: '0.0.0.0',
      port: 8080,
      adminPassword: 'correct horse battery',
      trustedProxies: [],
      opsToken: undefined,
    });
  });

  it('wants an ADMIN_PASSWORD of at least 16 characters, and does not print a short one', () => {
    const attempt = () => loadConfig({ ADMIN_PASSWORD: 'hunter22' });
    expect(attempt).toThrow(/ADMIN_PASSWORD: must be at least 16 characters/);
    expect(attempt).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter22') }));
    expect(loadConfig({ ADMIN_PASSWORD: 'x'.repeat(16) }).http.adminPassword).toBe('x'.repeat(16));
  });

  it('prints no value of a variable named like a secret or a URL', () => {
    const env = {
      TELEGRAM_WEBHOOK_URL: 'ftp://hook-Sup3rSecret.example/x',
      TELEGRAM_WEBHOOK_SECRET: 'short!Sup3rSecret',
      TELEGRAM_API_ROOT: 'not a url Sup3rSecret',
      DATABASE_URL: 'mysql://Sup3rSecret',
    };
    const message = (() => {
      try {
        loadConfig(env);
      } catch (err) {
        return String(err);
      }
      return '';
    })();
    for (const name of Object.keys(env)) expect(message).toContain(`${name}:`);
    expect(message).not.toContain('Sup3rSecret');
  });

  it('lists every secret for the logger to scrub', () => {
    const key = 'ab'.repeat(32);
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook',
      TELEGRAM_WEBHOOK_SECRET: 'webhook-secret-0123456789',
      DATABASE_URL: 'postgres://u:db%2Fpass@db:5432/warmup',
      SESSION_ENCRYPTION_KEY: key,
      ADMIN_PASSWORD: 'admin-password-0123456789',
    });
    expect(secretValues(config).sort()).toEqual(
      [
        '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
        'webhook-secret-0123456789',
        'admin-password-0123456789',
        key,
        Buffer.from(key, 'hex').toString('base64'),
        'db/pass',
      ].sort(),
    );
  });
});

describe('reverse proxy and ops token', () => {
  it('reads HTTP_TRUSTED_PROXIES as addresses and CIDR ranges, and names a wrong entry', () => {
    expect(loadConfig({ HTTP_TRUSTED_PROXIES: '10.0.0.5, 192.168.0.0/16,::1' }).http.trustedProxies).toEqual([
      '10.0.0.5',
      '192.168.0.0/16',
      '::1',
    ]);
    expect(loadConfig({}).http.trustedProxies).toEqual([]);
    expect(() => loadConfig({ HTTP_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(
      /HTTP_TRUSTED_PROXIES: "10.0.0.0\/33" is not an IP address or a CIDR range/,
    );
    expect(() => loadConfig({ HTTP_TRUSTED_PROXIES: 'proxy.local' })).toThrow(/"proxy.local" is not an IP/);
  });

  it('takes an OPS_TOKEN of 16 or more characters, never prints it, and scrubs it from logs', () => {
    const attempt = () => loadConfig({ OPS_TOKEN: 'short secret' });
    expect(attempt).toThrow(/OPS_TOKEN: must be 16–256 printable characters/);
    expect(attempt).not.toThrow(/short secret/);
    const config = loadConfig({ OPS_TOKEN: 'ops-token-0123456789' });
    expect(config.http.opsToken).toBe('ops-token-0123456789');
    expect(secretValues(config)).toContain('ops-token-0123456789');
  });
});
