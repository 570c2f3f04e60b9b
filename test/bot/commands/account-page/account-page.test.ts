// /account <name> through real telegraf, the fake Bot API and Postgres: health, identity,
// quarantine, programmes and the last runs (counters, reasons, times in the chat's timezone),
// with Check, Resume (only while paused) and Restart last; an unknown name gets one short line.
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../../../src/db/accounts-repo.ts';
import {
  accounts,
  chatSettings,
  programmeAccounts,
  programmes,
  runs,
  tasks,
} from '../../../../src/db/schema.ts';
import { insertTaskWithRuns } from '../../../../src/db/tasks-repo.ts';
import { chooseIdentity } from '../../../../src/tasks/account-identity.ts';
import { buttonsOf, people, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';

const database = useTestDatabase();
let carol: number;
let dave: number;
const checks: number[] = [];
const tasksOf: number[] = [];
const op = people.operator;

const bot = useChatBot(database);

beforeAll(async () => {
  bot.jobs.requestCheck = async (_tx, request) => void checks.push(request.accountId);
  const { db } = database();
  carol = (await insertAccount(db, { username: 'carol', identity: await chooseIdentity(db) }))!.id;
  dave = (await insertAccount(db, { username: 'dave' }))!.id;
  await db
    .update(accounts)
    .set({
      health: 'captcha',
      healthUpdatedAt: sql`now() - interval '2 hours'`,
      quarantinedAt: new Date('2026-12-01T09:00:00Z'),
      quarantineReason: 'captcha',
    })
    .where(eq(accounts.id, carol));
  const [programme] = await db
    .insert(programmes)
    .values({
      name: 'spring',
      ramp: ['observer'],
      windows: [{ from: 600, until: 780 }],
      timeZone: 'Europe/Moscow',
      sessionsMin: 1,
      sessionsMax: 2,
      minGapMinutes: 60,
      startDate: '2026-12-01',
      seed: 1,
    })
    .returning();
  await db.insert(programmeAccounts).values({ programmeId: programme!.id, accountId: carol });
  // Twelve runs of carol: the page shows the last ten; the newest failed at a captcha.
  for (let i = 0; i < 12; i++) {
    const {
      task,
      runs: [run],
    } = await insertTaskWithRuns(db, { name: `warm ${i}`, settings: {}, chatId: op.id, createdBy: op.id }, [
      carol,
    ]);
    tasksOf.push(task.id);
    const failed = i === 11;
    const started = new Date(Date.UTC(2026, 11, 1, 7, i * 2, 0));
    const status = failed ? 'failed' : 'completed';
    await db
      .update(runs)
      .set({
        status,
        startedAt: started,
        completedAt: new Date(started.getTime() + 252_000),
        updatedAt: new Date(started.getTime() + 252_000),
        counters: { itemsViewed: 3, watchSeconds: 40, likes: i },
        reasonCode: failed ? 'captcha' : null,
      })
      .where(eq(runs.id, run!.id));
    await db
      .update(tasks)
      .set({ status, startedAt: started, completedAt: started })
      .where(eq(tasks.id, task.id));
  }
  await db.insert(chatSettings).values({ chatId: op.id, timeZone: 'Europe/Moscow' });
});

const page = () => bot.fake.messages(op.id).at(-1)!;

describe('/account', () => {
  it('shows health, identity, quarantine, programmes and the last ten runs in the chat’s timezone', async () => {
    const text = await bot.ask(op, '/account @carol');
    const lines = text.split('\n');
    expect(lines[0]).toBe('👤 @carol');
    expect(lines[1]).toMatch(/^Health: stuck at a captcha \(2 hr\. ago\)$/);
    expect(lines[2]).toMatch(/^Identity: /);
    expect(lines[3]).toBe('Platform: tiktok');
    expect(lines[4]).toBe('⏸ Paused in all programmes since 1 Dec 2026, 12:00 GMT+3: stuck at a captcha');
    expect(lines[5]).toBe('Programmes: spring (active)');
    expect(text).toContain('Last runs:');
    const runLines = lines.filter((l) => /^#\d+ /.test(l));
    expect(runLines).toHaveLength(10);
    expect(runLines[0]).toBe(`#${tasksOf[11]} failed · 1 Dec 2026, 10:22 GMT+3 · 4m 12s`);
    expect(text).toContain('watched 3 (40 s) · likes 11 · stopped at a captcha');
    expect(text).not.toContain(`#${tasksOf[0]} `);
    expect(buttonsOf(page())).toEqual([
      ['🔎 Check', `ak:${carol}`],
      ['▶️ Resume', `qr:${carol}`],
      ['🔁 Restart last', `al:${carol}`],
    ]);
  });

  it('an account without runs, programmes or pause; unknown and bad names get one line', async () => {
    const text = await bot.ask(op, '/account dave');
    expect(text).toContain('Not paused.');
    expect(text).toContain('Programmes: none');
    expect(text).toContain('No runs yet.');
    expect(buttonsOf(page())).toEqual([['🔎 Check', `ak:${dave}`]]);
    expect(await bot.ask(op, '/account nobody')).toBe(
      'There is no account @nobody. Send /accounts for the list.',
    );
    expect(await bot.ask(op, '/account')).toContain('Usage: /account');
    expect(await bot.ask(op, '/account no/pe')).toContain('is not an account name');
    expect(await bot.ask(people.viewer, '/account dave')).toContain('Запусков ещё не было.');
    expect(buttonsOf(bot.fake.messages(people.viewer.id).at(-1))).toEqual([]);
  });

  it('Check queues a check; Restart last restarts the task of the last run (operator only)', async () => {
    await bot.ask(op, '/account carol');
    const id = page().message_id;
    expect(await bot.tap(people.viewer, `al:${carol}`, id)).toContain('не позволяет');
    const before = bot.fake.messages(op.id).length;
    await bot.tap(op, `ak:${carol}`, id);
    await bot.fake.waitFor(() => bot.fake.messages(op.id).length > before);
    expect(checks).toEqual([carol]);
    expect(String(page().text)).toBe('Checking @carol… (answer within a minute)');
    expect(await bot.tap(op, `al:${carol}`, id)).toBe(`Task #${tasksOf[11]} restarted.`);
    expect(bot.jobs.dispatched).toContain(tasksOf[11]);
    expect(await bot.tap(op, `al:${carol}`, id)).toContain('was not restarted');
    expect(await bot.tap(op, 'al:99999999999', id)).toContain('not valid');
  });
});
