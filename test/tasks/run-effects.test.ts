// A run's targets and effects on real rows: the targets are drawn once per run number — at its
// first attempt, from the settings that attempt runs with — and kept by every attempt; an effect is
// recorded only up to its target, only by the attempt that owns the run and only under a live
// account lease; the end reports the run's totals; a removed account's run is cancelled, not begun;
// a restart starts afresh.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { markAccountRemoved } from '../../src/db/fleet-repo.ts';
import { acquireLease, type Lease, releaseLease } from '../../src/db/leases-repo.ts';
import { claimRunEffect, type RunFence, setRunJob } from '../../src/db/runs-repo.ts';
import { accountLeases, runs, tasks } from '../../src/db/schema.ts';
import { insertTaskWithRuns } from '../../src/db/tasks-repo.ts';
import { runLedgerOpener } from '../../src/jobs/run-ledger.ts';
import { restartTask } from '../../src/tasks/restart-task.ts';
import { beginRun, finishRun } from '../../src/tasks/run-session.ts';
import { readRunPlan } from '../../src/warmup/plan.ts';
import { type WarmupSettings, warmupSettingsSchema } from '../../src/warmup/settings.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeAccounts, recordingJobs } from '../support/fixtures.ts';
import { testLog } from '../support/jobs.ts';
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
const warmupSettings = (value: Record<string, unknown>): WarmupSettings => warmupSettingsSchema.parse(value);

type OneRunTask = Awaited<ReturnType<typeof oneRunTask>>;
/** Begins the run under `attempt` and opens its ledger as the session job and runner do. */
async function begin(t: OneRunTask, attempt: number, lease: Lease, runsWith = settings) {
  const begun = await beginRun(db(), jobs, t.fence(attempt));
  if (!begun.ok) throw new Error(begun.stale);
  const ledger = await runLedgerOpener(
    db(),
    t.fence(attempt),
    lease,
    begun.run,
    testLog,
  )(warmupSettings(runsWith));
  return { begun, ledger };
}

it('draws the run’s targets at its first attempt, from the settings it runs with, and keeps them', async () => {
  const t = await oneRunTask('plan', settings);
  expect(t.run.plan).toBeNull();
  const lease = await t.lease(0);
  const first = await beginRun(db(), jobs, t.fence(0));
  if (!first.ok) throw new Error(first.stale);
  expect(first.run.plan).toBeNull(); // drawn by the ledger, from what the session runs with
  // The platform’s numbers made it 2 likes for this session: the targets follow them.
  const runsWith = warmupSettings({ ...settings, likes: range(2) });
  const ledger = await runLedgerOpener(db(), t.fence(0), lease, first.run, testLog)(runsWith);
  const targets = { scrolls: 0, videos: 2, likes: 2, follows: 1, comments: 0, searches: 0 };
  expect(ledger.targets).toEqual(targets);
  expect(readRunPlan((await row(t.run.id)).plan)?.targets).toEqual(targets);
  // The first attempt lost its claim (its worker died): the retry begins the same run again, and
  // keeps the first attempt's targets whatever it would draw now.
  const retry = await beginRun(db(), jobs, t.fence(1));
  if (!retry.ok) throw new Error(retry.stale);
  expect(retry.resumed).toBe(true);
  const again = await runLedgerOpener(db(), t.fence(1), lease, retry.run, testLog)(warmupSettings(settings));
  expect(again.targets).toEqual(targets);
  // An attempt that no longer owns the run cannot store targets: it does nothing.
  const other = await oneRunTask('plan-other', settings);
  const otherLease = await other.lease(0);
  const stale = await beginRun(db(), jobs, other.fence(1));
  if (!stale.ok) throw new Error(stale.stale);
  await expect(
    runLedgerOpener(db(), other.fence(0), otherLease, stale.run, testLog)(warmupSettings(settings)),
  ).rejects.toThrow(/no longer this attempt/);
});

it('a removed account’s run is cancelled when its job comes, not begun', async () => {
  const t = await oneRunTask('removed', settings);
  await markAccountRemoved(db(), t.accountId, 1);
  const begun = await beginRun(db(), jobs, t.fence(0));
  expect(begun).toEqual({ ok: false, stale: 'account removed' });
  expect(await row(t.run.id)).toMatchObject({
    status: 'cancelled',
    reasonMessage: 'the account was removed',
    attempts: 0,
  });
  const [task] = await db().select().from(tasks).where(eq(tasks.id, t.task.id));
  expect(task?.status).toBe('cancelled');
});

it('records an effect only up to its target, by the attempt that owns the run, under a live lease', async () => {
  const twoFollows = quickSettings({ videos: range(2), likes: range(1), follows: range(2) });
  const t = await oneRunTask('claims', twoFollows);
  const lease0 = await t.lease(0);
  await begin(t, 0, lease0, twoFollows);
  const claim = (attempt: number, lease: Lease, kind: string) =>
    claimRunEffect(db(), t.fence(attempt), lease, kind);

  expect(await claim(0, lease0, 'likes')).toBe(true);
  expect(await claim(0, lease0, 'likes')).toBe(false); // likes=1: one, however often asked
  expect(await claim(0, lease0, 'searches')).toBe(false); // no keywords: no search
  expect(await claim(0, lease0, 'hugs')).toBe(false); // not an effect of the plan
  expect((await row(t.run.id)).effects).toEqual({ likes: 1 });

  // The lease lapsed (or went to someone else): nothing is recorded, so nothing is clicked.
  await releaseLease(db(), lease0);
  expect(await claim(0, lease0, 'follows')).toBe(false);

  // A retry took the account and began the run: the older attempt records nothing any more.
  const lease1 = await t.lease(1);
  await begin(t, 1, lease1, twoFollows);
  expect(await claim(0, lease1, 'follows')).toBe(false);
  expect(await claim(1, lease1, 'likes')).toBe(false); // the first attempt's like stands
  expect(await claim(1, lease1, 'follows')).toBe(true);
  expect((await row(t.run.id)).effects).toEqual({ likes: 1, follows: 1 });

  // An expired lease does not count, even still held under its token.
  await db()
    .update(accountLeases)
    .set({ expiresAt: sql`now() - interval '1 second'` })
    .where(eq(accountLeases.accountId, t.accountId));
  expect(await claim(1, lease1, 'follows')).toBe(false); // the second of two follows
  expect((await row(t.run.id)).effects).toEqual({ likes: 1, follows: 1 });
});

it('ends with the run’s totals across attempts: the recorded effects win over the counters', async () => {
  const t = await oneRunTask('totals', settings);
  const lease = await t.lease(0);
  await begin(t, 0, lease);
  expect(await claimRunEffect(db(), t.fence(0), lease, 'likes')).toBe(true);
  // The attempt died after the like, before its counters said so; the retry did the follow.
  await begin(t, 1, lease);
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

it('a restart starts afresh: new targets drawn at its first attempt, nothing recorded', async () => {
  const t = await oneRunTask('restart', settings);
  const lease = await t.lease(0);
  await begin(t, 0, lease);
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
  expect(begun.run.plan).toBeNull();
  const again = await acquireLease(
    db(),
    { accountId: t.accountId, runId: t.run.id, holder: `${jobId}:0` },
    30,
  );
  const ledger = await runLedgerOpener(db(), fence, again!, begun.run, testLog)(warmupSettings(settings));
  expect(ledger.targets.likes).toBe(1);
  expect(await claimRunEffect(db(), fence, again!, 'likes')).toBe(true);
});

it('a run with no targets stored (its settings were refused before any) records nothing', async () => {
  const t = await oneRunTask('invalid', { parallel: 1 });
  const begun = await beginRun(db(), jobs, t.fence(0));
  if (!begun.ok) throw new Error(begun.stale);
  expect(begun.run.plan).toBeNull();
  expect(await claimRunEffect(db(), t.fence(0), await t.lease(0), 'likes')).toBe(false);
});
