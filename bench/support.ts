// Shared bench plumbing: a throwaway database (on BENCH_DATABASE_URL's server, or an embedded
// Postgres in a temp dir), migrated, and dropped at the end.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { Db } from '../src/db/client.ts';
import { openDatabase } from '../src/db/client.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrateDatabase } from '../src/db/migrate.ts';

export async function benchDatabase() {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  let stopServer = async () => {};
  if (!adminUrl) {
    const dir = await mkdtemp(path.join(tmpdir(), 'warmup-bench-pg-'));
    const server = await startEmbeddedPostgres({
      dataDir: dir,
      port: await freePort(),
      database: 'postgres',
      ephemeral: true,
    });
    adminUrl = server.adminUrl;
    stopServer = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  await migrateDatabase(url);
  const database = openDatabase(url, { max: 20 });
  return {
    url,
    database,
    server: process.env.BENCH_DATABASE_URL
      ? 'external Postgres (BENCH_DATABASE_URL)'
      : 'embedded Postgres 18',
    async close() {
      await database.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
      await stopServer();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return {
    n: values.length,
    mean,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/**
 * 200 accounts, `tasks` tasks (statuses in turn: completed, failed, cancelled, running, pending)
 * with 3 runs each (one failed run per failed task), `chats` viewer users from id 5001; analyzed.
 */
export async function seedTasks(db: Db, tasks: number, chats: number): Promise<number> {
  const started = performance.now();
  await db.execute(
    sql`insert into accounts (username, health) select 'acct' || g, 'ok' from generate_series(1, 200) g`,
  );
  await db.execute(sql`
    insert into tasks (name, status, settings, chat_id, created_by, started_at, completed_at)
    select 'task ' || g, (array['completed','failed','cancelled','running','pending'])[1 + g % 5], '{}'::jsonb, 1,
           1, now() - interval '1 hour', case when g % 5 < 3 then now() end
    from generate_series(1, ${tasks}) g`);
  await db.execute(sql`
    insert into runs (task_id, account_id, status, counters, started_at, completed_at)
    select t.id, 1 + (t.id * 7 + a) % 200, case when t.status = 'failed' and a = 0 then 'failed' else 'completed' end,
           '{"itemsViewed": 12, "likes": 3}'::jsonb, t.started_at, t.completed_at
    from tasks t cross join generate_series(0, 2) a`);
  await db.execute(
    sql`insert into users (telegram_id, role, username) select 5000 + g, 'viewer', 'user' || g from generate_series(1, ${chats}) g`,
  );
  await db.execute(sql`vacuum analyze`);
  return (performance.now() - started) / 1000;
}
