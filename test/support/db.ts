// A fresh, migrated database per test file on the server global-setup provides, dropped after.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject, vi } from 'vitest';
import { type Database, type Db, openDatabase } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';

export type TestDatabase = Database & { url: string; name: string; drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  await migrateDatabase(url);
  const database = openDatabase(url, { max: 20, applicationName: 'warmup-bot-test' });
  return {
    ...database,
    url,
    name,
    async drop() {
      await database.close();
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

/** Registers beforeAll/afterAll for the calling test file; read the database inside tests. */
export function useTestDatabase(): () => TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.drop();
  });
  return () => {
    if (!current) throw new Error('the test database is not ready (use it inside a test or hook)');
    return current;
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Waits until exactly `count` sessions of this test database wait for a lock: the point at which
 * work the test started is known to be held at the lock it is about.
 */
export async function waitForLockWaits(db: Db, count: number, timeoutMs = 20_000): Promise<void> {
  await vi.waitFor(
    async () => {
      const [row] = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
      );
      expect(row?.n).toBe(count);
    },
    { timeout: timeoutMs, interval: 20 },
  );
}

/**
 * Makes Postgres refuse (raise an exception on) `operation`s on `table` whose new row matches `when`
 * (SQL over NEW): a real failed query, with its parameters, for tests of what a failure leaves
 * behind. Returns the undo.
 */
export async function refuseWrites(
  db: Db,
  table: string,
  operation: 'insert' | 'update',
  when: string,
): Promise<() => Promise<void>> {
  const name = `refuse_${table}_${operation}_${randomBytes(3).toString('hex')}`;
  await db.execute(
    sql.raw(
      `create function ${name}() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`,
    ),
  );
  await db.execute(
    sql.raw(
      `create trigger ${name} before ${operation} on ${table} for each row when (${when}) execute function ${name}()`,
    ),
  );
  return async () => {
    await db.execute(sql.raw(`drop trigger ${name} on ${table}`));
    await db.execute(sql.raw(`drop function ${name}()`));
  };
}

/**
 * Every row of every table in every schema but Postgres' own (ours, drizzle's, pg-boss's…), each
 * read as text: what a dump or a backup of the database would hold. bytea reads as \x hex.
 */
export async function dumpDatabase(database: TestDatabase): Promise<{ tables: string[]; text: string }> {
  const tables = await database.sql<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
      and table_schema not like 'pg\_toast%' order by 1, 2`;
  const parts: string[] = [];
  for (const { schema, name } of tables) {
    const rows = await database.sql.unsafe<{ row: string }[]>(
      `select t::text as row from "${schema}"."${name}" t`,
    );
    parts.push(`-- ${schema}.${name}`, ...rows.map((r) => r.row));
  }
  return { tables: tables.map((t) => `${t.schema}.${t.name}`), text: parts.join('\n') };
}
