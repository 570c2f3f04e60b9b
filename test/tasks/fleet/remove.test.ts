// removeAccount against real pg-boss workers: a running session of the account is aborted and its
// run ends cancelled, the task's other runs carry on, a task left with nothing is finished (and
// says so); a second removal finds nothing; the removed account's slot can no longer be claimed.
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { moveSlot } from '../../../src/db/programme-moves-repo.ts';
import { insertProgramme, insertSlots } from '../../../src/db/programmes-repo.ts';
import { accounts, programmeSlots, runs, tasks } from '../../../src/db/schema.ts';
import type { Boss } from '../../../src/jobs/boss.ts';
import { QUEUES } from '../../../src/jobs/queues.ts';
import { createTaskJobs } from '../../../src/jobs/task-jobs.ts';
import type { Workers } from '../../../src/jobs/workers.ts';
import { createTask } from '../../../src/tasks/create-task.ts';
import { removeAccount } from '../../../src/tasks/fleet/remove.ts';
import type { JobPort } from '../../../src/tasks/ports.ts';
import { SLOT_MOVES } from '../../../src/tasks/programmes/states.ts';
import { useTestDatabase } from '../../support/db.ts';
import { makeAccounts } from '../../support/fixtures.ts';
import { startTestBoss, startTestWorkers, steeredRunner } from '../../support/jobs.ts';

const database = useTestDatabase();
let boss: Boss;
let jobs: JobPort;
let workers: Workers | undefined;

beforeAll(async () => {
  boss = await startTestBoss(database());
  jobs = createTaskJobs(boss.boss, () => 0);
});
afterEach(async () => {
  await workers?.stop(0);
  workers = undefined;
});
afterAll(async () => {
  await boss?.boss.stop({ graceful: false, timeout: 1000 });
});

const settings = { parallel: 1, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 };
const newTask = (accountIds: number[]) =>
  createTask(database().db, jobs, { name: 'warm', settings, accountIds, chatId: 10, actorId: 1 });
const statusesOf = async (taskId: number) =>
  (await database().db.select().from(runs).where(eq(runs.taskId, taskId)).orderBy(runs.id)).map(
    (r) => r.status,
  );
const taskStatus = async (id: number) =>
  (await database().db.select().from(tasks).where(eq(tasks.id, id)))[0]!.status;
async function notices(taskId: number) {
  const rows = await database().db.execute<{ type: string }>(
    sql`select data->>'type' as type from pgboss.job where name = ${QUEUES.notify} and (data->>'taskId')::int = ${taskId} order by created_on, id`,
  );
  return [...rows].map((r) => r.type).filter((t) => t !== 'progress');
}

describe('removeAccount', () => {
  it('aborts the account’s running session first; the task’s next run starts', async () => {
    const steer = steeredRunner();
    workers = await startTestWorkers(database(), boss, steer.runner, 2);
    const [gone, kept] = await makeAccounts(database().db, 2, 'rm');
    const { task } = await newTask([gone!, kept!]);
    await steer.waitFor(() => steer.openSessions().length === 1);
    const [running] = steer.openSessions();
    const runningId = running === (await nameOf(gone!)) ? gone! : kept!;
    const result = await removeAccount(database().db, jobs, {
      accountId: runningId,
      actorId: 7,
      now: new Date(),
    });
    expect(result).toMatchObject({ ok: true, cancelledRuns: 1, programmes: 0, skippedSlots: 0 });
    // The abort reaches the session on its next heartbeat; then the other account's run starts.
    await steer.waitFor(() => steer.stats.aborted.length === 1 && steer.openSessions().length === 1, 15_000);
    expect(steer.openSessions()).toEqual([await nameOf(runningId === gone ? kept! : gone!)]);
    steer.release();
    await vi.waitFor(async () => expect(await taskStatus(task.id)).toBe('cancelled'), { timeout: 20_000 });
    expect((await statusesOf(task.id)).sort()).toEqual(['cancelled', 'completed']);
    // A second removal finds no live account.
    expect(
      await removeAccount(database().db, jobs, { accountId: runningId, actorId: 7, now: new Date() }),
    ).toEqual({
      ok: false,
      problem: 'unknownAccount',
    });
  }, 60_000);

  it('a task whose only run is cancelled by the removal is finished and told cancelled', async () => {
    const [only] = await makeAccounts(database().db, 1, 'solo');
    const { task } = await newTask([only!]);
    const result = await removeAccount(database().db, jobs, {
      accountId: only!,
      actorId: 7,
      now: new Date(),
    });
    expect(result).toMatchObject({ ok: true, cancelledRuns: 1 });
    expect(await taskStatus(task.id)).toBe('cancelled');
    expect(await notices(task.id)).toEqual(['cancelled']);
  });

  it('a slot of a removed account is no longer claimed for a task', async () => {
    const { db } = database();
    const [account] = await makeAccounts(db, 1, 'slot');
    const programme = await insertProgramme(
      db,
      {
        name: 'gone soon',
        ramp: ['light'],
        windows: [{ from: 0, until: 1439 }],
        timeZone: 'UTC',
        sessionsMin: 1,
        sessionsMax: 1,
        minGapMinutes: 60,
        startDate: '2026-12-01',
        seed: 1,
        chatId: null,
        createdBy: null,
        createdAt: new Date('2026-12-01T00:00:00Z'),
      },
      [account!],
    );
    const due = new Date('2026-12-01T12:00:00Z');
    await insertSlots(db, [
      {
        programmeId: programme!.id,
        accountId: account!,
        day: 1,
        seq: 1,
        preset: 'light',
        dueAt: due,
        windowEndsAt: due,
      },
    ]);
    const [slot] = await db.select().from(programmeSlots).where(eq(programmeSlots.accountId, account!));
    // Removed by hand (not through removeAccount, which skips the slot itself): the claim's guard.
    await db.update(accounts).set({ removedAt: sql`now()` }).where(eq(accounts.id, account!));
    expect(await moveSlot(db, slot!.id, SLOT_MOVES.create)).toBeUndefined();
  });
});

async function nameOf(id: number) {
  return (await database().db.select().from(accounts).where(eq(accounts.id, id)))[0]!.username;
}
