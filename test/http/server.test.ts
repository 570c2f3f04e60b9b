// The ops endpoint on its own: health, readiness by phase, 404s, and the pg-boss dashboard under
// /admin/queues behind basic auth (401 without or with wrong credentials, the queues with them),
// its lockout of an address after 10 failed logins on a driven clock — per client behind a trusted
// reverse proxy — and OPS_TOKEN's bearer guard on /readyz and /metrics.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/http/metrics.ts';
import { type OpsServer, type OpsServerOptions, startOpsServer } from '../../src/http/server.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { QUEUES } from '../../src/jobs/queues.ts';
import { useTestDatabase } from '../support/db.ts';
import { startTestBoss, testLog } from '../support/jobs.ts';

const database = useTestDatabase();
const PASSWORD = 'a long admin password';
let boss: Boss;
let ops: OpsServer;

beforeAll(async () => {
  boss = await startTestBoss(database());
  ops = await startOpsServer({
    host: '127.0.0.1',
    port: 0,
    log: testLog,
    metrics: createMetrics(testLog),
    admin: { password: PASSWORD, databaseUrl: database().url },
  });
  ops.attach({ database: database(), boss });
});
afterAll(async () => {
  await ops?.close();
  await boss?.boss.stop({ graceful: false, timeout: 1000 });
});

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

/** An ops server of its own for a describe block, on a free port, closed after it. */
function useOpsServer(options: () => Partial<OpsServerOptions>): () => OpsServer {
  let server: OpsServer | undefined;
  beforeAll(async () => {
    server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      log: testLog,
      metrics: createMetrics(testLog),
      ...options(),
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => server!;
}

/** GET /admin/queues/queues from a given local address (127.0.0.0/8 is all this machine). */
const getQueues = (server: OpsServer, from: string, password: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string; retryAfter: string | undefined }>((resolve, reject) => {
    const url = new URL(`${server.url}/admin/queues/queues`);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        localAddress: from,
        headers: { ...basic('admin', password), ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            retryAfter: res.headers['retry-after'] as string | undefined,
          }),
        );
      },
    );
    req.on('error', reject).end();
  });

describe('health and readiness', () => {
  it('/healthz answers while /readyz waits for startup, and again once stopping', async () => {
    expect((await fetch(`${ops.url}/healthz`)).status).toBe(200);
    const starting = await fetch(`${ops.url}/readyz`);
    expect(starting.status).toBe(503);
    expect(await starting.json()).toMatchObject({
      ready: false,
      checks: { process: { ok: false, error: 'starting' }, database: { ok: true }, pgboss: { ok: true } },
    });
    ops.setPhase('running');
    expect((await fetch(`${ops.url}/readyz`)).status).toBe(200);
    ops.setPhase('stopping');
    expect(await (await fetch(`${ops.url}/readyz`)).json()).toMatchObject({
      ready: false,
      checks: { process: { error: 'stopping' } },
    });
    ops.setPhase('running');
  });

  it('answers 404 elsewhere and 405 to writes', async () => {
    expect((await fetch(`${ops.url}/nope`)).status).toBe(404);
    expect((await fetch(`${ops.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('/admin/queues', () => {
  it('answers 401 without credentials or with wrong ones', async () => {
    const none = await fetch(`${ops.url}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await fetch(`${ops.url}/admin/queues`, { headers: basic('admin', 'wrong') })).status).toBe(401);
    expect((await fetch(`${ops.url}/admin/queues`, { headers: basic('root', PASSWORD) })).status).toBe(401);
    expect((await fetch(`${ops.url}/admin/queues/assets/x.js`)).status).toBe(401);
  });

  it('shows the queues with them', async () => {
    const res = await fetch(`${ops.url}/admin/queues/queues`, { headers: basic('admin', PASSWORD) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    for (const queue of [QUEUES.session, QUEUES.notify, QUEUES.sessionDead]) expect(html).toContain(queue);
  }, 30_000);
});

describe('/admin/queues lockout', () => {
  let clock = 0;
  const locked = useOpsServer(() => ({
    admin: { password: PASSWORD, databaseUrl: database().url, lockout: { now: () => clock } },
  }));
  const get = (from: string, password: string) => getQueues(locked(), from, password);

  it('the 11th wrong password from one address gets 429 for 15 minutes; other addresses are not affected', async () => {
    for (let i = 1; i <= 10; i++) expect((await get('127.0.0.2', `wrong ${i}`)).status).toBe(401);
    const refused = await get('127.0.0.2', 'wrong 11');
    expect(refused).toMatchObject({ status: 429, retryAfter: '900' });
    expect(refused.body).toBe('Too many failed logins from your address: try again in 15 minutes.\n');
    // Locked means locked: the right password does not get through either.
    expect((await get('127.0.0.2', PASSWORD)).status).toBe(429);
    expect((await get('127.0.0.3', PASSWORD)).status).toBe(200);
    clock += 15 * 60_000 - 1000;
    expect(await get('127.0.0.2', PASSWORD)).toMatchObject({ status: 429, retryAfter: '1' });
    clock += 1000;
    expect((await get('127.0.0.2', PASSWORD)).status).toBe(200);
  }, 30_000);
});

describe('behind a reverse proxy (HTTP_TRUSTED_PROXIES)', () => {
  const proxied = useOpsServer(() => ({
    admin: { password: PASSWORD, databaseUrl: database().url },
    trustedProxies: ['127.0.0.1', '10.0.0.0/8'],
  }));
  /** The status of GET /admin/queues/queues from a local address, with an X-Forwarded-For header. */
  const get = async (from: string, forwardedFor: string, password: string) =>
    (await getQueues(proxied(), from, password, { 'x-forwarded-for': forwardedFor })).status;

  it('counts failed logins per client the proxy names, not per proxy', async () => {
    // What a client writes into the header itself stands to the left: the proxy appends the peer.
    for (let i = 1; i <= 10; i++)
      expect(await get('127.0.0.1', `198.51.100.1, 203.0.113.7, 10.1.2.3`, `wrong ${i}`)).toBe(401);
    expect(await get('127.0.0.1', '203.0.113.7', PASSWORD)).toBe(429);
    // Another client behind the same proxy, and the same client claiming another address on the left.
    expect(await get('127.0.0.1', '203.0.113.8', PASSWORD)).toBe(200);
    expect(await get('127.0.0.1', '203.0.113.9, 203.0.113.7', PASSWORD)).toBe(429);
  }, 30_000);

  it('believes no X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    for (let i = 1; i <= 10; i++) expect(await get('127.0.0.4', `192.0.2.${i}`, `wrong ${i}`)).toBe(401);
    // Ten different claimed clients were one address: it is locked, whatever it claims now.
    expect(await get('127.0.0.4', '192.0.2.99', PASSWORD)).toBe(429);
    expect(await get('127.0.0.5', '192.0.2.1', PASSWORD)).toBe(200);
  }, 30_000);
});

describe('OPS_TOKEN', () => {
  const TOKEN = 'ops-token-0123456789abcdef';
  const server = useOpsServer(() => ({ opsToken: TOKEN }));

  it('guards /readyz and /metrics with a bearer token; /healthz stays open for liveness probes', async () => {
    const guarded = server();
    guarded.setPhase('running');
    for (const path of ['/readyz', '/metrics']) {
      const bare = await fetch(`${guarded.url}${path}`);
      expect(bare.status, path).toBe(401);
      expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const wrong = await fetch(`${guarded.url}${path}`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status, path).toBe(401);
      const right = await fetch(`${guarded.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(right.status, path).toBe(200);
    }
    expect((await fetch(`${guarded.url}/healthz`)).status).toBe(200);
  });
});
