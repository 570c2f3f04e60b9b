// The database handle: postgres.js pool + drizzle over it, the one-line description of a
// connection failure (host and cause, no stack) that the composition root prints, and how to tell
// "the database is away" (a restart, a failover) from a wrong query.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.ts';

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction or the database itself: repository functions accept either. */
export type Executor = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'execute'> & {
  transaction: Db['transaction'];
};

/**
 * drizzle's `sql` tag, for one user: pg-boss's fromDrizzle adapter (src/jobs/task-jobs.ts), which
 * builds pg-boss's own statements with it so that a job is sent inside an Executor's transaction.
 * Our own SQL is written here in src/db, never with this.
 */
export const adapterSqlTag = sql;

export type Database = {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
};

export type DatabaseOptions = { max?: number; applicationName?: string };

export function openDatabase(url: string, options: DatabaseOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    connect_timeout: 10,
    idle_timeout: 60,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'warmup-bot' },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** Names the host and the cause of a failure to reach Postgres, in one line without secrets. */
export function describeConnectionError(url: string, err: unknown): string {
  let where = 'the database';
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {}
  const e = err as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = e.code ?? e.errors?.[0]?.code;
  const reason =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'host not found'
        : code === 'CONNECT_TIMEOUT'
          ? 'connection timed out'
          : code === '28P01' || code === '28000'
            ? 'authentication failed'
            : code === '3D000'
              ? 'database does not exist'
              : (e.message ?? String(err)).split('\n')[0];
  return `Cannot reach Postgres at ${where}: ${reason}. Check DATABASE_URL (or unset it to use the embedded database).`;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
]);

/** True when an error means "the database is away" rather than "the query was wrong". */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

export type RetryOptions = {
  /** Give up (rethrow) once this much time has passed. */
  maxMs?: number;
  /** Stop retrying when this fires; the last error is rethrown. */
  signal?: AbortSignal;
  onRetry?: (err: unknown) => void;
};

/**
 * Runs `fn` again while the database is away, backing off up to 5 s between tries. For writes
 * that record work already done, which a short outage must not lose. `fn` must be safe to run
 * twice: a commit whose answer was lost may have landed.
 */
export async function retryWhileUnavailable<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.maxMs ?? 120_000);
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await fn();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || options.signal?.aborted || Date.now() + delay > deadline) throw err;
      options.onRetry?.(err);
      await sleep(delay, undefined, options.signal ? { signal: options.signal } : {}).catch(() => {
        throw err;
      });
    }
  }
}
