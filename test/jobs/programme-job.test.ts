// The programme tick as pg-boss runs it: a job on the programme-tick queue, worked by this
// process's workers with a driven clock, creates the slot's task, whose session then really runs.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { accounts, programmeSlots, tasks } from '../../src/db/schema.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { QUEUES } from '../../src/jobs/queues.ts';
import type { Workers } from '../../src/jobs/workers.ts';
import { createProgramme } from '../../src/tasks/programmes/manage.ts';
import { parseProgrammeSpec } from '../../src/tasks/programmes/spec.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeAccounts } from '../support/fixtures.ts';
import { startTestBoss, startTestWorkers, steeredRunner } from '../support/jobs.ts';

const database = useTestDatabase();
let boss: Boss;
let workers: Workers;
let clock = new Date('2027-02-01T06:00:00Z');
const steer = steeredRunner({ autoRelease: true });

beforeAll(async () => {
  boss = await startTestBoss(database());
  workers = await startTestWorkers(database(), boss, steer.runner, 2, { programmeClock: () => clock });
});
afterAll(async () => {
  await workers?.stop(0);
  await boss?.boss.stop({ graceful: false, timeout: 1000 });
});

it('a tick job creates the due slot task, which runs like any other', async () => {
  const { db } = database();
  const [id] = await makeAccounts(db, 1, 'tick');
  const [account] = await db.select().from(accounts).where(eq(accounts.id, id!));
  const parsed = parseProgrammeSpec(
    `name=ticked accounts=${account!.username} days=1 ramp=observer window=08:00-12:00 sessions=1 start=2027-02-01`,
    { now: clock, defaultTimeZone: 'UTC' },
  );
  if (!parsed.ok) throw new Error(parsed.problem.code);
  const created = await createProgramme(db, {
    spec: parsed.spec,
    chatId: 10,
    actorId: 1,
    now: clock,
    seed: 5,
  });
  if (!created.ok) throw new Error(created.problem);

  await boss.boss.send(QUEUES.programmes, {});
  const [slot] = await vi.waitFor(
    async () => {
      const rows = await db.select().from(programmeSlots);
      expect(rows).toHaveLength(1);
      return rows;
    },
    { timeout: 15_000, interval: 100 },
  );
  expect(slot?.status).toBe('planned');

  clock = slot!.dueAt;
  await boss.boss.send(QUEUES.programmes, {});
  const task = await vi.waitFor(
    async () => {
      const [row] = await db.select().from(tasks).where(eq(tasks.programmeId, created.programme.id));
      expect(row?.status).toBe('completed');
      return row!;
    },
    { timeout: 20_000, interval: 100 },
  );
  expect(task).toMatchObject({ name: 'ticked · 1/1', programmeDay: 1, chatId: 10 });
  expect(steer.stats.started).toEqual([account!.username]);
  const [after] = await db.select().from(programmeSlots);
  expect(after).toMatchObject({ status: 'created', taskId: task.id });
});
