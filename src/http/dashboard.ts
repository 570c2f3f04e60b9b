// The pg-boss dashboard under /admin/queues, behind HTTP basic auth (user "admin", ADMIN_PASSWORD,
// compared in constant time; 10 failed logins lock the address out for 15 minutes). The dashboard
// is a fetch-style handler (Request → Response); this module bridges node:http requests to it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDashboardHandler } from '@pg-boss/dashboard/handler';
import { BOSS_SCHEMA } from '../jobs/boss.ts';
import type { ClientAddressOf } from './client-address.ts';
import { createLoginLockout, type LockoutOptions } from './login-lockout.ts';
import { secretMatcher } from './secret-match.ts';

export const DASHBOARD_PATH = '/admin/queues';
export const ADMIN_USER = 'admin';

export type Dashboard = {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
};

export type DashboardOptions = {
  databaseUrl: string;
  password: string;
  lockout?: LockoutOptions;
  /** The address failed logins are counted by: behind a trusted reverse proxy, the client's. */
  clientAddress: ClientAddressOf;
};

export function createDashboard(options: DashboardOptions): Dashboard {
  const handler = createDashboardHandler({
    databases: [{ url: options.databaseUrl, name: 'warmup-bot', schema: BOSS_SCHEMA }],
    basePath: DASHBOARD_PATH,
  });
  const isAdmin = secretMatcher(`${ADMIN_USER}:${options.password}`);
  const lockout = createLoginLockout(options.lockout);
  return {
    async handle(req, res) {
      const address = options.clientAddress(req);
      const lockedMs = lockout.lockedFor(address);
      if (lockedMs > 0) {
        const minutes = Math.ceil(lockedMs / 60_000);
        res.writeHead(429, {
          'retry-after': String(Math.ceil(lockedMs / 1000)),
          'content-type': 'text/plain; charset=utf-8',
        });
        res.end(`Too many failed logins from your address: try again in ${minutes} minutes.\n`);
        return;
      }
      if (!isAdmin(basicCredentials(req.headers.authorization))) {
        // A request without credentials is a browser asking for the login prompt, not a guess.
        if (req.headers.authorization !== undefined) lockout.failed(address);
        res.writeHead(401, {
          'www-authenticate': 'Basic realm="warmup-bot admin", charset="UTF-8"',
          'content-type': 'text/plain; charset=utf-8',
        });
        res.end('Authentication required\n');
        return;
      }
      lockout.succeeded(address);
      await respond(res, await handler(toRequest(req)));
    },
    close: () => handler.close(),
  };
}

/** `user:password` of a Basic authorization header ('' without one). */
function basicCredentials(header: string | undefined): string {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  return match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
}

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
}

async function respond(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (response.body) await pipeline(Readable.fromWeb(response.body as never), res);
  else res.end();
}
