// A run's targets and effects on real rows: the targets are drawn once per run number and kept by
// every attempt; an effect is recorded only up to its target, only by the attempt that owns the
// run and only under a live account lease; the end reports the run's totals; a restart starts afresh.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { acquireLease, type Lease, releaseLease } from '../../src/db/leases-repo.ts';
import { claimRunEffect, type RunFence, releaseRunEffect, setRunJob } from '../../src/db/runs-repo.ts';
import { accountLeases, runs } from '../../src/db/schema.ts';
import { insertTaskWithRuns } from '../../src/db/tasks-repo.ts';
import { restartTask } from '../../src/tasks/restart-task.ts';
import { beginRun, finishRun } from '../../src/tasks/run-session.ts';
import { readRunPlan } from '../../src/warmup/plan.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeAccounts, recordingJobs } from '../support/fixtures.ts';
import { quickSettings, range } from '../support/quick-settings.ts';

const database = useTestDatabase();
const db = () => database().db;
const jobs = recordingJobs();

/** A task of one account with likes=1 follows=1, its run dispatched as job `jobId`. */
async function oneRunTask(prefix: string, settings: Record<string, unknown> = quickSettings()) {
  const [accountId] = await makeAccounts(db(), 1, prefix);
  const { task, runs: created } = await insertTaskWithRuns(
    db(),
    { name: prefix, settings, chatId: 5, createdBy: 1 },
    [accountId!],
  );
  const run = created[0]!;
  const jobId = randomUUID();
  await setRunJob(db(), run.id, run.runNumber, jobId);
  const fence = (attempt: number): RunFence => ({ runId: run.id, runNumber: run.runNumber, jobId, attempt });
  const lease = async (attempt: number): Promise<Lease> => {
    const held = await acquireLease(
      db(),
      { accountId: accountId!, runId: run.id, holder: `${jobId}:${attempt}` },
      30,
    );
    if (!held) throw new Error('the account lease is taken');
    return held;
  };
  return { task, run, accountId: accountId!, jobId, fence, lease };
}

const settings = quickSettings({ videos: range(2), likes: range(1), follows: range(1) });
const row = async (id: number) => (await db().select().from(runs).where(eq(runs.id, id)))[0]!;

it('draws the run’s targets when it first begins, and keeps them for every later attempt', async () => {
  const t = await oneRunTask('plan', settings);
  expect(t.run.plan).toBeNull();
  const first = await beginRun(db(), jobs, t.fence(0));
  if (!first.ok) throw new Error(first.stale);
  const plan = readRunPlan(first.run.plan);
  expect(plan?.targets).toEqual({ scrolls: 0, videos: 2, likes: 1, follows: 1, comments: 0, searches: 0 });
  // The first attempt lost its claim (its worker died): the retry begins the same run again.
  const retry = await beginRun(db(), jobs, t.fence(1));
  if (!retry.ok) throw new Error(retry.stale);
  expect(retry.resumed).toBe(true);
  expect(retry.run.plan).toEqual(first.run.plan);
});

it('records an effect only up to its target, by the attempt that owns the run, under a live lease', async () => {
  const t = await oneRunTask('claims', settings);
  await beginRun(db(), jobs, t.fence(0));
  const lease0 = await t.lease(0);
  const claim = (attempt: number, lease: Lease, kind: string) =>
    claimRunEffect(db(), t.fence(attempt), lease, kind);

  expect(await claim(0, lease0, 'likes')).toBe(true);
  expect(await claim(0, lease0, 'likes')).toBe(false); // likes=1: one, however often asked
  expect(await claim(0, lease0, 'searches')).toBe(false); // no keywords: no search
  expect(await claim(0, lease0, 'hugs')).toBe(false); // not an effect of the plan
  expect((await row(t.run.id)).effects).toEqual({ likes: 1 });
  // Given back (the toggle did not turn on), it can be recorded again.
  expect(await releaseRunEffect(db(), t.fence(0), 'likes')).toBe(true);
  expect(await releaseRunEffect(db(), t.fence(0), 'likes')).toBe(false);
  expect(await claim(0, lease0, 'likes')).toBe(true);

  // The lease lapsed (or went to someone else): nothing is recorded, so nothing is clicked.
  await releaseLease(db(), lease0);
  expect(await claim(0, lease0, 'follows')).toBe(false);

  // A retry took the account and began the run: the older attempt records nothing any more.
  const lease1 = await t.lease(1);
  await beginRun(db(), jobs, t.fence(1));
  expect(await claim(0, lease1, 'follows')).toBe(false);
  expect(await releaseRunEffect(db(), t.fence(0), 'likes')).toBe(false);
  expect(await claim(1, lease1, 'likes')).toBe(false); // the first attempt's like stands
  expect(await claim(1, lease1, 'follows')).toBe(true);
  expect((await row(t.run.id)).effects).toEqual({ likes: 1, follows: 1 });

  // An expired lease does not count, even still held under its token.
  await db()
    .update(accountLeases)
    .set({ expiresAt: sql`now() - interval '1 second'` })
    .where(eq(accountLeases.accountId, t.accountId));
  await releaseRunEffect(db(), t.fence(1), 'follows');
  expect(await claim(1, lease1, 'follows')).toBe(false);
});

it('ends with the run’s totals across attempts: the recorded effects win over the counters', async () => {
  const t = await oneRunTask('totals', settings);
  await beginRun(db(), jobs, t.fence(0));
  const lease = await t.lease(0);
  expect(await claimRunEffect(db(), t.fence(0), lease, 'likes')).toBe(true);
  // The attempt died after the like, before its counters said so; the retry did the follow.
  await beginRun(db(), jobs, t.fence(1));
  expect(await claimRunEffect(db(), t.fence(1), lease, 'follows')).toBe(true);
  const end = await finishRun(db(), jobs, t.fence(1), {
    kind: 'completed',
    counters: { itemsViewed: 2, watchSeconds: 0, likes: 0, follows: 1, comments: 0, searches: 0, scrolls: 0 },
    cappedByTime: false,
  });
  expect(end.applied).toBe(true);
  expect((await row(t.run.id)).counters).toEqual({
    itemsViewed: 2,
    watchSeconds: 0,
    likes: 1,
    follows: 1,
    comments: 0,
    searches: 0,
    scrolls: 0,
  });
});

it('a restart starts afresh: new targets drawn when the run begins, nothing recorded', async () => {
  const t = await oneRunTask('restart', settings);
  await beginRun(db(), jobs, t.fence(0));
  const lease = await t.lease(0);
  await claimRunEffect(db(), t.fence(0), lease, 'likes');
  await finishRun(db(), jobs, t.fence(0), { kind: 'completed', counters: {}, cappedByTime: false });
  await releaseLease(db(), lease);
  expect((await restartTask(db(), jobs, { taskId: t.task.id, scope: 'all', actorId: 1 })).ok).toBe(true);
  const reset = await row(t.run.id);
  expect(reset).toMatchObject({ plan: null, effects: {}, counters: {}, runNumber: t.run.runNumber + 1 });

  const jobId = randomUUID();
  await setRunJob(db(), t.run.id, reset.runNumber, jobId);
  const fence = { runId: t.run.id, runNumber: reset.runNumber, jobId, attempt: 0 };
  const begun = await beginRun(db(), jobs, fence);
  if (!begun.ok) throw new Error(begun.stale);
  expect(readRunPlan(begun.run.plan)?.targets.likes).toBe(1);
  const again = await acquireLease(
    db(),
    { accountId: t.accountId, runId: t.run.id, holder: `${jobId}:0` },
    30,
  );
  expect(await claimRunEffect(db(), fence, again!, 'likes')).toBe(true);
});

it('a run whose settings are not valid gets no targets, so it records nothing', async () => {
  const t = await oneRunTask('invalid', { parallel: 1 });
  const begun = await beginRun(db(), jobs, t.fence(0));
  if (!begun.ok) throw new Error(begun.stale);
  expect(begun.run.plan).toBeNull();
  expect(await claimRunEffect(db(), t.fence(0), await t.lease(0), 'likes')).toBe(false);
});
