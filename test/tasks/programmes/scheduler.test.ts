// The programme scheduler against a real Postgres with a driven clock (no sleeps): a 14-day
// standard programme, two schedulers at once, a 6-hour outage, a paused programme, a quarantined
// account. The JobPort records what the scheduler queued.
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.ts';
import { accounts, type ProgrammeRow, programmeSlots, runs, tasks } from '../../../src/db/schema.ts';
import { localTime } from '../../../src/tasks/local-time.ts';
import { createProgramme, moveProgramme } from '../../../src/tasks/programmes/manage.ts';
import { tickProgrammes } from '../../../src/tasks/programmes/scheduler.ts';
import { drawSlots } from '../../../src/tasks/programmes/slots.ts';
import { parseProgrammeSpec } from '../../../src/tasks/programmes/spec.ts';
import { presets } from '../../../src/warmup/settings.ts';
import { useTestDatabase } from '../../support/db.ts';
import { makeAccounts, recordingJobs } from '../../support/fixtures.ts';
import { testLog } from '../../support/jobs.ts';

const database = useTestDatabase();
const HOUR = 3_600_000;
let seq = 0;

async function newProgramme(line: string, now: Date, accountCount: number, seed = 42) {
  const { db } = database();
  const ids = await makeAccounts(db, accountCount, `sched${++seq}x`);
  const names = (await db.select().from(accounts)).filter((a) => ids.includes(a.id)).map((a) => a.username);
  const parsed = parseProgrammeSpec(`name=p${seq} accounts=${names.join(',')} ${line}`, {
    now,
    defaultTimeZone: 'UTC',
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problem));
  const created = await createProgramme(db, { spec: parsed.spec, chatId: 500, actorId: 1, now, seed });
  if (!created.ok) throw new Error(created.problem);
  return { programme: created.programme, accountIds: ids };
}

const slotsOf = (programmeId: number) =>
  database()
    .db.select()
    .from(programmeSlots)
    .where(eq(programmeSlots.programmeId, programmeId))
    .orderBy(asc(programmeSlots.dueAt));

const tasksOf = (programmeId: number) =>
  database()
    .db.select({ task: tasks, accountId: runs.accountId })
    .from(tasks)
    .innerJoin(runs, eq(runs.taskId, tasks.id))
    .where(eq(tasks.programmeId, programmeId))
    .orderBy(asc(tasks.id));

/** The next instant something is due: a planned slot, or the next programme-day boundary. */
async function nextEvent(programme: ProgrammeRow, now: Date): Promise<Date> {
  const [row] = await database()
    .db.select({ at: sql<Date | null>`min(${programmeSlots.dueAt})` })
    .from(programmeSlots)
    .where(and(eq(programmeSlots.programmeId, programme.id), eq(programmeSlots.status, 'planned')));
  const due = row?.at ? new Date(row.at).getTime() : Number.POSITIVE_INFINITY;
  // Local midnights in Moscow (no DST) are 21:00 UTC; an hour past is enough to be on the next day.
  let boundary = now.getTime() + HOUR;
  while (localTime(new Date(boundary), programme.timeZone).date === localTime(now, programme.timeZone).date) {
    boundary += HOUR;
  }
  return new Date(Math.max(now.getTime() + 1000, Math.min(due, boundary)));
}

describe('a 14-day standard programme for 3 accounts', () => {
  it('creates exactly the drawn tasks per day, each inside its window, with the day preset, then finishes', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const created = new Date('2027-03-01T12:00:00Z'); // 15:00 in Moscow: starts tomorrow
    const { programme, accountIds } = await newProgramme(
      'days=14 ramp=standard window=10:00-13:00,18:00-22:30 tz=Europe/Moscow sessions=1-2 gap=90m start=2027-03-02',
      created,
      3,
    );
    let now = created;
    for (let i = 0; i < 400; i++) {
      await tickProgrammes({ db, jobs, now, log: testLog });
      if (localTime(now, programme.timeZone).date > '2027-03-16') break;
      now = await nextEvent(programme, now);
    }
    const rows = await tasksOf(programme.id);
    const slots = await slotsOf(programme.id);
    expect(slots.every((s) => s.status === 'created')).toBe(true);
    for (let day = 1; day <= 14; day++) {
      const expected = accountIds.flatMap((id) => drawSlots(programme, id, day));
      const ofDay = rows.filter((r) => r.task.programmeDay === day);
      expect(ofDay).toHaveLength(expected.length);
      expect(expected.length).toBeGreaterThanOrEqual(3);
      expect(expected.length).toBeLessThanOrEqual(6);
      for (const { task } of ofDay) {
        expect(task.name).toBe(`${programme.name} · ${day}/${programme.ramp.length}`);
        const preset = programme.ramp[day - 1] as keyof typeof presets;
        // With its basis, so that each account's platform fills in what the preset leaves open.
        expect(task.settings).toEqual({ ...presets[preset], basis: { preset, set: [] } });
        expect(task.chatId).toBe(500);
      }
    }
    expect(programme.ramp.slice(0, 4)).toEqual(['observer', 'observer', 'observer', 'light']);
    // Created at its due minute, inside a window of its local day.
    for (const slot of slots) {
      const local = localTime(slot.dueAt, 'Europe/Moscow').minute;
      expect((local >= 600 && local < 780) || (local >= 1080 && local < 1350)).toBe(true);
      expect(slot.settledAt?.getTime()).toBe(slot.dueAt.getTime());
      expect(slot.taskId).not.toBeNull();
    }
    expect(jobs.dispatched).toHaveLength(rows.length);
    const [after] = await db.select().from(tasks).where(eq(tasks.id, rows[0]!.task.id));
    expect(after?.programmeId).toBe(programme.id);
    const report = await tickProgrammes({ db, jobs, now, log: testLog });
    expect(report.created).toBe(0);
    const { programmes } = await import('../../../src/db/schema.ts');
    const [final] = await db.select().from(programmes).where(eq(programmes.id, programme.id));
    expect(final?.status).toBe('finished');
  });
});

describe('two schedulers at once', () => {
  let second: ReturnType<typeof openDatabase>;
  beforeAll(() => {
    second = openDatabase(database().url, { max: 5 });
  });
  afterAll(async () => {
    await second?.close();
  });

  it('never create a slot or its task twice', async () => {
    const { db } = database();
    const jobsA = recordingJobs();
    const jobsB = recordingJobs();
    const start = new Date('2027-05-01T00:00:00Z');
    const { programme } = await newProgramme(
      'days=3 window=06:00-12:00,13:00-20:00 sessions=2-4 gap=30m start=2027-05-01',
      start,
      6,
    );
    for (let t = start.getTime(); t < start.getTime() + 3 * 24 * HOUR; t += 20 * 60_000) {
      const now = new Date(t);
      await Promise.all([
        tickProgrammes({ db, jobs: jobsA, now, log: testLog }),
        tickProgrammes({ db: second.db, jobs: jobsB, now, log: testLog }),
      ]);
    }
    const slots = await slotsOf(programme.id);
    const rows = await tasksOf(programme.id);
    expect(slots.length).toBeGreaterThanOrEqual(6 * 2 * 3);
    expect(slots.every((s) => s.status === 'created')).toBe(true);
    expect(rows).toHaveLength(slots.length);
    expect(new Set(slots.map((s) => s.taskId)).size).toBe(slots.length);
    expect(jobsA.dispatched.length + jobsB.dispatched.length).toBe(slots.length);
    // Both did some of the work.
    expect(jobsA.dispatched.length).toBeGreaterThan(0);
  });
});

describe('a 6-hour outage', () => {
  it('runs late the slots whose window is still open and skips the others as missed', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const before = new Date('2027-06-01T07:30:00Z');
    const { programme } = await newProgramme(
      'days=1 ramp=light window=08:00-10:00,11:00-15:00 sessions=2-3 gap=20m start=2027-06-01',
      before,
      5,
    );
    await tickProgrammes({ db, jobs, now: before, log: testLog });
    const back = new Date(before.getTime() + 6 * HOUR); // 13:30
    const report = await tickProgrammes({ db, jobs, now: back, log: testLog });
    const slots = await slotsOf(programme.id);
    const early = slots.filter((s) => s.dueAt.getUTCHours() < 10);
    const lateOpen = slots.filter((s) => s.dueAt.getUTCHours() >= 11 && s.dueAt <= back);
    const ahead = slots.filter((s) => s.dueAt > back);
    expect(early.length).toBeGreaterThan(0);
    expect(lateOpen.length).toBeGreaterThan(0);
    expect(early.every((s) => s.status === 'skipped' && s.skipReason === 'missed')).toBe(true);
    expect(lateOpen.every((s) => s.status === 'created' && s.settledAt?.getTime() === back.getTime())).toBe(
      true,
    );
    expect(ahead.every((s) => s.status === 'planned')).toBe(true);
    expect(report).toMatchObject({ created: lateOpen.length, skipped: { missed: early.length } });
  });
});

describe('an outage of days', () => {
  it('records the slots of the days nobody planned as missed', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const start = new Date('2027-09-01T00:00:00Z');
    const { programme } = await newProgramme(
      'days=5 window=08:00-20:00 sessions=2 gap=60m start=2027-09-01',
      start,
      2,
    );
    await tickProgrammes({ db, jobs, now: start, log: testLog }); // plans days 1 and 2
    const back = new Date('2027-09-04T07:00:00Z'); // day 4, before its window
    await tickProgrammes({ db, jobs, now: back, log: testLog });
    const slots = await slotsOf(programme.id);
    const byDay = (day: number) => slots.filter((s) => s.day === day);
    for (const day of [1, 2, 3]) {
      expect(byDay(day)).toHaveLength(4);
      expect(byDay(day).every((s) => s.status === 'skipped' && s.skipReason === 'missed')).toBe(true);
    }
    expect(byDay(4).every((s) => s.status === 'planned')).toBe(true);
    expect(byDay(5)).toHaveLength(4);
    expect(jobs.dispatched).toHaveLength(0);
  });
});

describe('paused programmes and quarantined accounts', () => {
  it('a paused programme skips its due slots; resumed, it goes on', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const start = new Date('2027-07-01T00:00:00Z');
    const { programme } = await newProgramme(
      'days=2 window=08:00-20:00 sessions=2 gap=60m start=2027-07-01',
      start,
      2,
    );
    await tickProgrammes({ db, jobs, now: start, log: testLog });
    await moveProgramme(db, { id: programme.id, move: 'pause', actorId: 1, now: start });
    const endOfDay1 = new Date('2027-07-01T20:30:00Z');
    // The windows have not closed when the paused slots come due: each is skipped as paused.
    for (const slot of (await slotsOf(programme.id)).filter((s) => s.day === 1)) {
      await tickProgrammes({ db, jobs, now: slot.dueAt, log: testLog });
    }
    const day1 = (await slotsOf(programme.id)).filter((s) => s.day === 1);
    expect(day1).toHaveLength(4);
    expect(day1.every((s) => s.status === 'skipped' && s.skipReason === 'paused')).toBe(true);
    await moveProgramme(db, { id: programme.id, move: 'resume', actorId: 1, now: endOfDay1 });
    await tickProgrammes({ db, jobs, now: new Date('2027-07-02T21:00:00Z'), log: testLog });
    const day2 = (await slotsOf(programme.id)).filter((s) => s.day === 2);
    expect(day2.every((s) => s.status === 'skipped' && s.skipReason === 'missed')).toBe(true);
    expect(jobs.dispatched).toHaveLength(0);
  });

  it('a quarantined account skips its slots; the others run', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const start = new Date('2027-08-01T00:00:00Z');
    const { programme, accountIds } = await newProgramme(
      'days=1 window=08:00-20:00 sessions=2 gap=60m start=2027-08-01',
      start,
      3,
    );
    await db
      .update(accounts)
      .set({ quarantinedAt: start, quarantineReason: 'captcha' })
      .where(eq(accounts.id, accountIds[0]!));
    await tickProgrammes({ db, jobs, now: start, log: testLog });
    await tickProgrammes({ db, jobs, now: new Date('2027-08-01T19:59:00Z'), log: testLog });
    const slots = await slotsOf(programme.id);
    expect(slots).toHaveLength(6);
    for (const s of slots) {
      if (s.accountId === accountIds[0]) expect([s.status, s.skipReason]).toEqual(['skipped', 'quarantined']);
      else expect(s.status).toBe('created');
    }
    expect(jobs.dispatched).toHaveLength(4);
  });
});

describe('ramp=platform', () => {
  it('plans each account’s days from its platform’s own ramp, scaled to the programme’s days', async () => {
    const { db } = database();
    const now = new Date('2027-05-01T06:00:00Z');
    const { programme, accountIds } = await newProgramme(
      'days=4 ramp=platform window=10:00-20:00 tz=UTC sessions=1 gap=60m start=2027-05-02',
      now,
      2,
    );
    expect(programme).toMatchObject({
      rampByPlatform: true,
      ramp: ['observer', 'light', 'moderate', 'active'],
    });
    const [insta, plain] = accountIds as [number, number];
    await db.update(accounts).set({ platform: 'instagram' }).where(eq(accounts.id, insta));
    // Instagram's ramp (two days watching, one light, one moderate, as 8 days) scales to 4 days.
    const rampOf = (platform: string | null) =>
      platform === 'instagram'
        ? [
            { preset: 'observer' as const, days: 4 },
            { preset: 'light' as const, days: 2 },
            { preset: 'moderate' as const, days: 2 },
          ]
        : undefined;
    let at = new Date('2027-05-02T00:30:00Z');
    for (let day = 0; day < 4; day++, at = new Date(at.getTime() + 24 * HOUR))
      await tickProgrammes({ db, jobs: recordingJobs(), now: at, log: testLog, rampOf });
    const presetsOf = async (accountId: number) =>
      (await slotsOf(programme.id)).filter((s) => s.accountId === accountId).map((s) => [s.day, s.preset]);
    expect(await presetsOf(insta)).toEqual([
      [1, 'observer'],
      [2, 'observer'],
      [3, 'light'],
      [4, 'moderate'],
    ]);
    // A platform without a ramp of its own follows the programme's.
    expect(await presetsOf(plain)).toEqual([
      [1, 'observer'],
      [2, 'light'],
      [3, 'moderate'],
      [4, 'active'],
    ]);
  });
});
