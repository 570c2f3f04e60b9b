// The worker's side of an account lease against a real database, without a browser: the lease is
// waited for while another session holds the account, kept alive while held, and `lost` fires the
// moment it can no longer be proven ours — taken over after it expired, or not extended within half
// its time to live. A session whose lease is lost stops and hands its run back to the queue.
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { acquireLease, releaseLease } from '../../src/db/leases-repo.ts';
import { accountLeases, runs } from '../../src/db/schema.ts';
import { DEFAULT_LEASE_TIMINGS, type LeaseTimings, waitForLease } from '../../src/jobs/account-lease.ts';
import { createTask } from '../../src/tasks/create-task.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeAccounts } from '../support/fixtures.ts';
import { steeredRunner, testLog, useTestBoss } from '../support/jobs.ts';
import { captureLog } from '../support/log-capture.ts';

const database = useTestDatabase();
const quick: LeaseTimings = { ttlSeconds: 30, refreshMs: 50, pollMs: 50, waitMs: 2000 };
const holder = (accountId: number, name = 'this session') => ({ accountId, runId: null, holder: name });
const live = () => new AbortController().signal;

/** Resolves with the signal's reason once it aborts; rejects after timeoutMs. */
function abortedWith(signal: AbortSignal, timeoutMs = 5000): Promise<Error> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not aborted within ${timeoutMs} ms`)), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(signal.reason as Error);
    };
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}

/** Lets the lease run out now, as if its holder had stopped extending it long ago. */
const expireLease = (accountId: number) =>
  database()
    .db.update(accountLeases)
    .set({ expiresAt: sql`now() - interval '1 second'` })
    .where(eq(accountLeases.accountId, accountId));

describe('a held lease', () => {
  it('is lost when it expired and was granted to another session: the holder is told at its next extension', async () => {
    const { db } = database();
    const [accountId] = await makeAccounts(db, 1, 'taken');
    const held = (await waitForLease(db, holder(accountId!), quick, live(), testLog))!;
    expect(held.lost.aborted).toBe(false);
    await expireLease(accountId!);
    const other = await acquireLease(db, holder(accountId!, 'another session'), 30);
    expect(other?.token).toBe(held.lease.token + 1);
    expect((await abortedWith(held.lost)).message).toBe(
      'the account lease was lost (it expired and was granted again)',
    );
    await held.release(); // releases nothing of the other's
    expect(await acquireLease(db, holder(accountId!, 'a third'), 30)).toBeUndefined();
  });

  it('is lost when it cannot be extended within half its time to live (the database is away)', async () => {
    const logged = captureLog();
    const own = openDatabase(database().url, { max: 1 });
    const [accountId] = await makeAccounts(database().db, 1, 'unproven');
    const timings = { ...quick, ttlSeconds: 1, refreshMs: 100 };
    const held = (await waitForLease(own.db, holder(accountId!), timings, live(), logged.log))!;
    await own.close(); // every extension fails from now on
    const reason = await abortedWith(held.lost);
    expect(reason.message).toBe('the account lease could not be extended in time');
    expect(logged.lines()).toContainEqual(
      expect.objectContaining({ msg: 'could not extend the account lease', accountId }),
    );
    await held.release(); // cannot release either: it expires by itself
    expect(logged.lines()).toContainEqual(
      expect.objectContaining({ msg: 'could not release the account lease; it expires', accountId }),
    );
  });

  it('is kept alive past its time to live while extended, and is not lost after its release', async () => {
    const { db } = database();
    const [accountId] = await makeAccounts(db, 1, 'kept');
    const timings = { ...quick, ttlSeconds: 2, refreshMs: 200 };
    const held = (await waitForLease(db, holder(accountId!), timings, live(), testLog))!;
    // Past its time to live it is still ours: nobody else is granted the account.
    await expect(abortedWith(held.lost, 3000)).rejects.toThrow(/not aborted/);
    expect(await acquireLease(db, holder(accountId!, 'another session'), 30)).toBeUndefined();
    await held.release();
    // Free again at once: release waits for an extension on its way, which never lands after it.
    expect(await acquireLease(db, holder(accountId!, 'another session'), 30)).toBeDefined();
    // Taken by another after the release: the released holder is not told its lease was lost.
    await expect(abortedWith(held.lost, 1000)).rejects.toThrow(/not aborted/);
  });
});

describe('waiting for a lease', () => {
  it('waits while another session holds the account and takes it once released', async () => {
    const { db } = database();
    const logged = captureLog();
    const [accountId] = await makeAccounts(db, 1, 'busy');
    const first = (await acquireLease(db, holder(accountId!, 'another session'), 30))!;
    const waiting = waitForLease(db, holder(accountId!), quick, live(), logged.log);
    // Released only once the waiter was refused: released earlier, it would simply take it.
    await vi.waitFor(() =>
      expect(logged.lines()).toContainEqual(
        expect.objectContaining({ msg: 'account held by another session; waiting for its lease' }),
      ),
    );
    await releaseLease(db, first);
    const held = await waiting;
    expect(held?.lease.token).toBe(first.token + 1);
    expect(logged.lines()).toContainEqual(
      expect.objectContaining({ msg: 'account lease taken after waiting' }),
    );
    await held?.release();
  });

  it('gives up after waitMs, or as soon as its signal fires', async () => {
    const { db } = database();
    const [accountId] = await makeAccounts(db, 1, 'stuck');
    const other = (await acquireLease(db, holder(accountId!, 'another session'), 30))!;
    const started = Date.now();
    expect(
      await waitForLease(db, holder(accountId!), { ...quick, waitMs: 300 }, live(), testLog),
    ).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const stop = new AbortController();
    const waiting = waitForLease(db, holder(accountId!), { ...quick, waitMs: 60_000 }, stop.signal, testLog);
    stop.abort();
    expect(await waiting).toBeUndefined();
    await releaseLease(db, other);
  });
});

describe('a session whose lease is lost', () => {
  const queue = useTestBoss(database);
  const steer = steeredRunner();
  afterAll(() => steer.release());

  it('stops its browser work and hands the run back to the queue, saying why', async () => {
    const { db } = database();
    await queue.startWorkers(steer.runner, 1, {
      lease: { ...DEFAULT_LEASE_TIMINGS, refreshMs: 100, waitMs: 500 },
    });
    const [accountId] = await makeAccounts(db, 1, 'session');
    const { task } = await createTask(db, queue.jobs, {
      name: 'lease lost',
      settings: { parallel: 1, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 },
      accountIds: [accountId!],
      chatId: 10,
      actorId: 1,
    });
    await steer.waitFor(() => steer.openSessions().length === 1);
    // Another worker is granted the account (the lease ran out under this one, a long GC pause say).
    await expireLease(accountId!);
    await acquireLease(db, holder(accountId!, 'another worker'), 60);
    await steer.waitFor(() => steer.stats.aborted.length === 1, 5000);
    await vi.waitFor(
      async () => {
        const [run] = await db.select().from(runs).where(eq(runs.taskId, task.id));
        expect(run).toMatchObject({
          status: 'pending',
          reasonCode: 'interrupted',
          reasonMessage: 'the session lost its account lease',
        });
      },
      { timeout: 5000, interval: 50 },
    );
    expect(steer.stats.maxPerAccount).toBe(1);
  });
});
