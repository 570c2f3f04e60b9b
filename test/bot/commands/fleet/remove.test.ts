// /account_remove through real telegraf, the fake Bot API and Postgres: it asks first; Remove
// cancels the account's queued run (through the JobPort), takes it out of its programme and skips
// its planned slots `removed`, audited; from then on it is gone from every list and selection while
// its past runs stay readable in /task, and its name can be added again.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../../../src/db/accounts-repo.ts';
import {
  accounts,
  auditLog,
  programmeAccounts,
  programmeSlots,
  programmes,
  runs,
  tasks,
} from '../../../../src/db/schema.ts';
import { tickProgrammes } from '../../../../src/tasks/programmes/scheduler.ts';
import {
  buttonsOf,
  type ChatBot,
  people,
  startChatBot,
  taskIdIn,
  taskWithAccounts,
} from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { forceStatus } from '../../../support/fixtures.ts';
import { testLog } from '../../../support/jobs.ts';

const database = useTestDatabase();
// Proxies with credentials are stored only sealed with the key (docs/operations.md).
const KEY = randomBytes(32);
const admin = people.admin;
const op = people.operator;
const clock = Date.parse('2026-12-01T12:00:00Z');
let bot: ChatBot;
const ids: Record<string, number> = {};
let queuedTask = 0;
let pastTask = 0;
let programmeId = 0;

beforeAll(async () => {
  bot = await startChatBot(database(), { now: () => clock, secretsKey: KEY });
  const { db } = database();
  for (const name of ['alice', 'bob', 'carol']) ids[name] = (await insertAccount(db, { username: name }))!.id;
  await db
    .update(accounts)
    .set({ tags: ['spring'] })
    .where(eq(accounts.username, 'alice'));
  await db
    .update(accounts)
    .set({ tags: ['spring'] })
    .where(eq(accounts.username, 'bob'));
  pastTask = taskIdIn(await bot.ask(op, '/new accounts=alice name=yesterday'));
  const [past] = await db.select().from(runs).where(eq(runs.taskId, pastTask));
  await forceStatus(db, runs, past!.id, 'completed');
  await forceStatus(db, tasks, pastTask, 'completed');
  queuedTask = taskIdIn(await bot.ask(op, '/new accounts=alice,bob name=queued'));
  const created = await bot.ask(
    op,
    '/plan name=spring accounts=tag:spring days=5 window=13:00-20:00 tz=UTC start=2026-12-01',
  );
  programmeId = Number(/#(\d+)/.exec(created)?.[1]);
  await tickProgrammes({ db, jobs: bot.jobs, now: new Date(clock), log: testLog });
});
afterAll(async () => {
  await bot?.stop();
});

const last = (chat: number) => bot.fake.messages(chat).at(-1)!;
const aliceSlots = (status: 'planned' | 'skipped') =>
  database()
    .db.select()
    .from(programmeSlots)
    .where(and(eq(programmeSlots.accountId, ids.alice!), eq(programmeSlots.status, status)));

describe('/account_remove', () => {
  it('asks first, saying what it will cancel and leave; Keep it removes nothing', async () => {
    expect(await bot.ask(admin, '/account_remove')).toBe(
      'Usage: /account_remove <name> — e.g. /account_remove alice',
    );
    expect(await bot.ask(admin, '/account_remove nobody')).toBe(
      'There is no account @nobody. Send /accounts for the list.',
    );
    expect(await bot.ask(op, '/account_remove alice')).toBe('Your role (operator) does not allow that.');
    expect((await aliceSlots('planned')).length).toBeGreaterThan(0);
    const question = await bot.ask(admin, '/account_remove alice');
    expect(question.split('\n')).toEqual([
      'Remove @alice? It leaves every list, selection and programme; its past runs stay in /task, and the name can be added again.',
      'Its 1 session queued or running will be cancelled first.',
      'It takes part in 1 programme; its planned sessions there are skipped.',
    ]);
    const m = last(admin.id);
    expect(buttonsOf(m)).toEqual([
      ['🗑 Remove', `ar:${ids.alice}`],
      ['✖️ Keep it', 'ar:x'],
    ]);
    expect(await bot.tap(op, `ar:${ids.alice}`, m.message_id, admin.id)).toBe(
      'Your role (operator) does not allow that.',
    );
    await bot.tap(admin, 'ar:x', m.message_id);
    expect(bot.fake.message(admin.id, m.message_id)?.text).toBe('Nothing was removed.');
    const [alice] = await database().db.select().from(accounts).where(eq(accounts.id, ids.alice!));
    expect(alice?.removedAt).toBeNull();
    expect(await bot.tap(admin, 'ar:99999999999', m.message_id)).toBe(
      'That button is not valid. Send /account_remove again.',
    );
  });

  it('Remove cancels its queued run, leaves the programme, skips its slots, audited', async () => {
    const { db } = database();
    const planned = (await aliceSlots('planned')).length;
    await bot.ask(admin, '/account_remove alice');
    const m = last(admin.id);
    expect(await bot.tap(admin, `ar:${ids.alice}`, m.message_id)).toBe('');
    expect(bot.fake.message(admin.id, m.message_id)?.text).toBe(
      `🗑 @alice removed.\n1 session of it cancelled.\nIt left 1 programme; ${planned} sessions planned there skipped.`,
    );
    const [alice] = await db.select().from(accounts).where(eq(accounts.id, ids.alice!));
    expect(alice).toMatchObject({ removedBy: admin.id });
    expect(alice?.removedAt).toBeInstanceOf(Date);
    // The queued run was cancelled through the job port; bob's run of the same task waits on.
    const queued = await db.select().from(runs).where(eq(runs.taskId, queuedTask)).orderBy(runs.accountId);
    expect(queued.map((r) => [r.accountId, r.status, r.reasonCode])).toEqual([
      [ids.alice, 'cancelled', 'cancelled'],
      [ids.bob, 'pending', null],
    ]);
    expect(bot.jobs.cancelled).toContainEqual([queued[0]!.id]);
    expect(await aliceSlots('planned')).toEqual([]);
    const skipped = await aliceSlots('skipped');
    expect(skipped.length).toBe(planned);
    expect(new Set(skipped.map((s) => s.skipReason))).toEqual(new Set(['removed']));
    const [membership] = await db
      .select()
      .from(programmeAccounts)
      .where(eq(programmeAccounts.accountId, ids.alice!));
    expect(membership?.untilDay).toBe(2);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'account.remove'));
    expect(audit).toMatchObject({
      actorId: admin.id,
      details: {
        accountId: ids.alice,
        username: 'alice',
        cancelledRuns: 1,
        programmes: 1,
        skippedSlots: planned,
      },
    });
    // The old question's button finds nothing left to remove.
    expect(await bot.tap(admin, `ar:${ids.alice}`, m.message_id)).toBe(
      'That account is gone already. Send /accounts for the list.',
    );
  });

  it('the removed account is gone from lists, selections and programmes', async () => {
    const gone = 'There is no account @alice. Send /accounts for the list.';
    expect(await bot.ask(op, '/accounts')).not.toContain('alice');
    expect(await bot.ask(op, '/account alice')).toBe(gone);
    expect(await bot.ask(op, '/check alice')).toBe(gone);
    expect(await bot.ask(op, '/new accounts=alice')).toBe(
      'Unknown accounts: alice. Send /accounts for the list.',
    );
    const byTag = taskIdIn(await bot.ask(op, '/new accounts=tag:spring'));
    expect((await taskWithAccounts(database().db, byTag)).accountIds).toEqual([ids.bob]);
    const all = taskIdIn(await bot.ask(op, '/new accounts=all'));
    expect((await taskWithAccounts(database().db, all)).accountIds).toEqual([ids.bob, ids.carol]);
    expect(await bot.ask(op, '/new')).toContain('(0 of 2 selected');
    expect(buttonsOf(last(op.id)).map(([label]) => label)).not.toContain('alice');
    expect(await bot.ask(op, `/plan ${programmeId}`)).toContain('Accounts: bob');
    expect(await bot.ask(op, `/plan ${programmeId} add=alice`)).toBe(gone);
    expect(await bot.ask(op, '/plan name=again accounts=alice,bob window=13:00-20:00')).toBe(
      'Unknown accounts: alice. Send /accounts for the list.',
    );
    expect(await bot.ask(admin, '/account_set alice tags=x')).toBe('There is no account @alice.');
    const [programme] = await database().db.select().from(programmes).where(eq(programmes.id, programmeId));
    expect(programme?.status).toBe('active');
  });

  it('its past runs stay readable in /task; a restart warns that it was removed', async () => {
    expect(await bot.ask(op, `/task ${pastTask}`)).toContain('alice');
    expect(await bot.ask(op, `/task ${queuedTask}`)).toMatch(/alice.*cancelled|cancelled.*alice/s);
    expect(await bot.ask(op, `/restart ${pastTask}`)).toContain('• @alice — removed from the fleet');
  });

  it('the name can be added again, as a new account', async () => {
    expect(await bot.ask(admin, '/account_add alice')).toContain('Account @alice added.');
    const rows = await database().db.select().from(accounts).where(eq(accounts.username, 'alice'));
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.removedAt === null)).toHaveLength(1);
    expect((await bot.ask(op, '/accounts')).match(/@alice/g)).toHaveLength(1);
  });
});
