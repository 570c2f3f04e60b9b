// The one-line /new through real telegraf, the fake Bot API and Postgres: the task is created and
// queued; bad input is answered with one specific line and creates nothing. Guided: new-task-guided.
import { count, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../../../src/db/accounts-repo.ts';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { buttonsOf, people, taskIdIn, taskProbes, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';

const database = useTestDatabase();
const bot = useChatBot(database);
const { snapshot, taskRow, lastMessage } = taskProbes(database, bot);
const op = people.operator;
const ids: Record<string, number> = {};

it('with no accounts yet, /new says how to add one', async () => {
  expect(await bot.ask(op, '/new')).toBe(
    'There are no accounts yet. An admin adds them with /account_add <username>.',
  );
});

describe('with accounts', () => {
  beforeAll(async () => {
    const { db } = database();
    for (const name of ['alice', 'bob', 'carol', 'dave'])
      ids[name] = (await insertAccount(db, { username: name }))!.id;
    await db.update(accounts).set({ health: 'ok' }).where(eq(accounts.username, 'alice'));
    await db.update(accounts).set({ health: 'logged_out' }).where(eq(accounts.username, 'dave'));
  });

  it('creates and queues the task, reporting to this chat, with the task buttons', async () => {
    const reply = await bot.ask(op, '/new accounts=alice,@Bob preset=light likes=1-2 cap=5m');
    const id = taskIdIn(reply);
    expect(reply).toBe(`Task #${id} created: 2 accounts, preset light.`);
    expect(buttonsOf(lastMessage(op.id))).toEqual([
      ['⛔ Cancel', `c:${id}`],
      ['ℹ️ Details', `d:${id}`],
      ['🔄 Refresh', `f:${id}`],
    ]);
    const { task, accountIds } = await taskRow(id);
    expect(task).toMatchObject({ name: 'light ×2', status: 'pending', chatId: op.id, createdBy: op.id });
    expect(task.settings).toMatchObject({ likes: { min: 1, max: 2 }, sessionCapSeconds: 300 });
    // Stored with its basis: what was typed wins on every platform; the rest is the platform's.
    expect(task.settings).toMatchObject({ basis: { preset: 'light', set: ['likes', 'sessionCapSeconds'] } });
    expect(accountIds).toEqual([ids.alice, ids.bob]);
    expect(bot.jobs.dispatched).toContain(id);
  });

  it('accounts=all takes every account that is not logged out, blocked or at a captcha', async () => {
    const reply = await bot.ask(op, '/new name="night shift" accounts=all', -100777);
    const { task, accountIds } = await taskRow(taskIdIn(reply));
    expect(reply).toContain('3 accounts, preset default');
    expect(task).toMatchObject({ name: 'night shift', chatId: -100777 });
    expect(accountIds).toEqual([ids.alice, ids.bob, ids.carol]);
  });

  it.each([
    ['/new likes=5-2', 'likes=5-2: the first number is larger than the second; write likes=2-5.'],
    ['/new accounts=nobody', 'Unknown accounts: nobody. Send /accounts for the list.'],
    ['/new accounts=alice,nobody,zed', 'Unknown accounts: nobody, zed. Send /accounts for the list.'],
    [
      '/new accounts=alice preset=turbo',
      'There is no preset "turbo". Presets: observer, light, moderate, active.',
    ],
    ['/new accounts=alice likes=1 likes=2', 'likes is given twice; give each setting once.'],
    ['/new accounts=alice speed=3', '"speed" is not a setting.'],
    ['/new accounts=alice cap=30', 'cap=30 is not a duration'],
    ['/new accounts=alice watch=1-99999', 'watch=1-99999 is not a range'],
    ['/new accounts=alice watch=1-900', 'These settings do not work: watch.max: must be at most 600.'],
    ['/new accounts=alice videos=1-1 likes=3', 'These settings do not work: likes: 3 likes need at least 3'],
    ['/new preset=light', 'Say which accounts: accounts=alice,bob, accounts=tag:spring or accounts=all'],
    ['/new accounts=<b>', '"<b>" is not an account name'],
  ])('%s → one line, nothing created', async (command, expected) => {
    const before = await snapshot();
    const reply = await bot.ask(op, command);
    expect(reply).toContain(expected);
    expect(reply.split('\n')).toHaveLength(1);
    expect(await snapshot()).toEqual(before);
  });

  it('answers in Russian for a Russian-speaking user', async () => {
    const before = await snapshot();
    expect(await bot.ask({ ...op, language_code: 'ru' }, '/new likes=5-2')).toBe(
      'likes=5-2: первое число больше второго; напишите likes=2-5.',
    );
    expect(await bot.ask({ ...op, language_code: 'ru' }, '/new accounts=nobody')).toBe(
      'Неизвестные аккаунты: nobody. Список: /accounts.',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a viewer is refused, in their language, and the attempt is audited', async () => {
    const before = await snapshot();
    expect(await bot.ask(people.viewer, '/new accounts=alice')).toBe(
      'Ваша роль (наблюдатель) этого не позволяет.',
    );
    expect(await bot.ask(people.viewer, '/new')).toBe('Ваша роль (наблюдатель) этого не позволяет.');
    expect(await snapshot()).toEqual(before);
    const [denied] = await database()
      .db.select({ n: count() })
      .from(auditLog)
      .where(sql`${auditLog.action} = 'access.forbidden' and ${auditLog.actorId} = ${people.viewer.id}`);
    expect(denied?.n).toBe(2);
  });
});
