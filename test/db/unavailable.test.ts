// isDatabaseUnavailable against the errors postgres.js and drizzle really throw: a refused
// connection, a connection the server ends (as a restart does), a query in flight on it — and a
// wrong query, which is no outage. retryWhileUnavailable retries only the former.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, openDatabase, retryWhileUnavailable } from '../../src/db/client.ts';
import { useTestDatabase } from '../support/db.ts';
import { freePort } from '../support/global-setup.ts';

const database = useTestDatabase();

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (err: unknown) => err,
  );

describe('isDatabaseUnavailable', () => {
  it('is true for a refused connection, through drizzle', async () => {
    const url = new URL(database().url);
    url.port = String(await freePort());
    const away = openDatabase(url.toString(), { max: 1 });
    try {
      expect(isDatabaseUnavailable(await caught(away.db.execute(sql`select 1`)))).toBe(true);
    } finally {
      await away.close();
    }
  });

  it('is true for a query whose connection the server ends; the pool answers again after', async () => {
    const own = openDatabase(database().url, { max: 1 });
    try {
      const [me] = await own.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const sleeping = caught(own.sql`select pg_sleep(10)`);
      await database().sql`select pg_terminate_backend(${me!.pid})`;
      expect(isDatabaseUnavailable(await sleeping)).toBe(true);
      // postgres.js may hand the server's 57P01 to the next query on that connection too.
      expect(await retryWhileUnavailable(() => own.sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      await own.close();
    }
  });

  it('is false for a wrong query', async () => {
    const err = await caught(database().db.execute(sql`select * from no_such_table`));
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('retryWhileUnavailable', () => {
  const away = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

  it('runs again while the database is away, then returns', async () => {
    let calls = 0;
    const result = await retryWhileUnavailable(async () => {
      if (++calls < 3) throw new Error('query failed', { cause: away });
      return 'done';
    });
    expect({ result, calls }).toEqual({ result: 'done', calls: 3 });
  });

  it('rethrows other errors at once, and an outage once the signal fired', async () => {
    let calls = 0;
    const wrong = Object.assign(new Error('syntax'), { code: '42601' });
    const failing = async () => {
      calls++;
      throw wrong;
    };
    await expect(retryWhileUnavailable(failing)).rejects.toBe(wrong);
    expect(calls).toBe(1);
    const stop = new AbortController();
    stop.abort();
    await expect(
      retryWhileUnavailable(async () => Promise.reject(away), { signal: stop.signal }),
    ).rejects.toBe(away);
  });
});
