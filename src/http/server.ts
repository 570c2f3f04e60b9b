// The operations endpoint, one per process: /healthz (the process answers), /readyz (each part this
// process runs, named, 503 when one fails), /metrics (Prometheus text) and, with ADMIN_PASSWORD,
// the queue dashboard under /admin/queues. Parts are attached as the process brings them up.
// With OPS_TOKEN, /readyz and /metrics want `Authorization: Bearer <token>`; /healthz stays open.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Outbox } from '../bot/notifications/outbox.ts';
import type { TelegramWatch } from '../bot/notifications/telegram-watch.ts';
import type { Database } from '../db/client.ts';
import type { Boss } from '../jobs/boss.ts';
import { pingBoss } from '../jobs/queue-stats.ts';
import type { Workers } from '../jobs/workers.ts';
import type { Logger } from '../logger.ts';
import type { BrowserHost } from '../warmup/browser.ts';
import { type ClientAddressOf, createClientAddress } from './client-address.ts';
import { createDashboard, DASHBOARD_PATH, type Dashboard, type DashboardOptions } from './dashboard.ts';
import type { Metrics } from './metrics.ts';
import { createReadiness } from './readiness.ts';
import { secretMatcher } from './secret-match.ts';

export type OpsParts = {
  database?: Database;
  boss?: Boss;
  workers?: Workers;
  browser?: BrowserHost;
  telegram?: TelegramWatch;
  outbox?: Pick<Outbox, 'unreachable'>;
};

export type OpsServer = {
  url: string;
  attach(parts: OpsParts): void;
  /** Not ready until 'running'; not ready again once 'stopping'. */
  setPhase(phase: 'running' | 'stopping'): void;
  close(): Promise<void>;
};

export type OpsServerOptions = {
  host: string;
  port: number;
  log: Logger;
  metrics: Metrics;
  /** Mounts the queue dashboard; needs the database URL pg-boss uses. */
  admin?: Omit<DashboardOptions, 'clientAddress'>;
  /** Reverse proxies whose X-Forwarded-For names the client (addresses or CIDR ranges). */
  trustedProxies?: readonly string[];
  /** When set, /readyz and /metrics answer only `Authorization: Bearer <opsToken>`. */
  opsToken?: string;
};

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { metrics } = options;
  const log = options.log.child({ component: 'http' });
  const readiness = createReadiness();
  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  readiness.add('process', () => {
    if (phase !== 'running') throw new Error(phase);
  });
  const clientAddress: ClientAddressOf = createClientAddress(options.trustedProxies ?? []);
  const dashboard: Dashboard | undefined =
    options.admin && createDashboard({ ...options.admin, clientAddress });
  const tokenAllows = bearerCheck(options.opsToken);

  const server = createServer((req, res) => {
    route(req, res).catch((err) => {
      log.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error\n');
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (dashboard && (path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`))) {
      return dashboard.handle(req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'Method not allowed\n');
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if ((path === '/readyz' || path === '/metrics') && !tokenAllows(req.headers.authorization)) {
      res.writeHead(401, {
        'www-authenticate': 'Bearer realm="warmup-bot ops"',
        'cache-control': 'no-store',
      });
      return void res.end('Bearer token required (OPS_TOKEN)\n');
    }
    if (path === '/readyz') {
      const report = await readiness.run();
      return sendJson(res, report.ready ? 200 : 503, report);
    }
    if (path === '/metrics') return send(res, 200, metrics.contentType, await metrics.render());
    send(res, 404, 'text/plain', 'Not found\n');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `HTTP_PORT ${options.port} on ${options.host} is already in use: choose another HTTP_PORT (0 picks a free one)`
            : `Cannot listen on ${options.host}:${options.port} (HTTP_HOST/HTTP_PORT): ${err.message}`,
          { cause: err },
        ),
      ),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  log.info({ url, dashboard: dashboard ? `${url}${DASHBOARD_PATH}` : undefined }, 'http listening');

  return {
    url,
    attach(parts) {
      metrics.attach({ db: parts.database?.db, boss: parts.boss, activeSessions: parts.workers?.active });
      const { database, boss, browser, telegram, outbox } = parts;
      if (database) readiness.add('database', () => database.sql`select 1`);
      if (boss) readiness.add('pgboss', () => pingBoss(boss));
      if (telegram) readiness.add('bot', () => telegram.check());
      // A chat that blocked or removed the bot is worth knowing about, not a reason to be unready.
      if (outbox) {
        readiness.add('notifications', () => {}, {
          details: () => ({ unreachableChats: outbox.unreachable() }),
        });
      }
      // Opening a context launches Chromium when it is not running: worth doing twice a minute at most.
      if (browser) {
        readiness.add(
          'browser',
          () => browser.withContext({ signal: AbortSignal.timeout(10_000) }, async () => {}),
          { timeoutMs: 10_000, cacheMs: 30_000 },
        );
      }
    },
    setPhase(next) {
      phase = next;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await dashboard?.close();
    },
  };
}

/** Without a token everything passes; with one, only its bearer (compared in constant time). */
function bearerCheck(token: string | undefined): (header: string | undefined) => boolean {
  if (!token) return () => true;
  const isToken = secretMatcher(token);
  return (header) => isToken(/^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '');
}

function send(res: ServerResponse, status: number, contentType: string, body: string) {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
}
