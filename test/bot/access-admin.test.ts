// /grant and /revoke through real telegraf, the fake Bot API and Postgres: admins only, audited,
// nobody changes their own access, and a granted user gets past the allow-list at once.
import { count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '../../src/db/schema.ts';
import { type ChatBot, people, startChatBot } from '../support/chat-bot.ts';
import { useTestDatabase } from '../support/db.ts';

const database = useTestDatabase();
let bot: ChatBot;
const admin = people.admin;
const stranger = people.stranger;

beforeAll(async () => {
  bot = await startChatBot(database());
});
afterAll(async () => {
  await bot?.stop();
});

async function snapshot() {
  const { db } = database();
  // Names and languages follow Telegram on every update; who has which role is what counts here.
  const rows = await db
    .select({ id: users.telegramId, role: users.role, grantedBy: users.grantedBy })
    .from(users)
    .orderBy(users.telegramId);
  const [audit] = await db.select({ n: count() }).from(auditLog).where(like(auditLog.action, 'user.%'));
  return { rows, audit: audit?.n };
}
const roleOf = async (id: number) =>
  (await database().db.select().from(users).where(eq(users.telegramId, id)))[0]?.role;

describe('grant and revoke', () => {
  it('a granted stranger gets in; a role change and a revoke take effect at once; all audited', async () => {
    expect(await bot.ask(stranger, '/help')).toContain(`Your Telegram id is ${stranger.id}`);
    expect(await bot.ask(admin, `/grant ${stranger.id} viewer`)).toBe(
      `User ${stranger.id} can now use the bot as viewer.`,
    );
    expect(await bot.ask(stranger, '/help')).toContain('Your role: viewer.');
    expect(await bot.ask(admin, `/grant ${stranger.id} OPERATOR`)).toBe(
      `User ${stranger.id}: viewer → operator.`,
    );
    expect(await bot.ask(admin, `/grant ${stranger.id} operator`)).toBe(
      `User ${stranger.id} already has the role operator.`,
    );
    expect(await roleOf(stranger.id)).toBe('operator');
    expect(await bot.ask(admin, `/revoke ${stranger.id}`)).toBe(`User ${stranger.id} no longer has access.`);
    expect(await roleOf(stranger.id)).toBeUndefined();
    expect(await bot.ask(stranger, '/help')).toContain(`Your Telegram id is ${stranger.id}`);

    const audits = await database()
      .db.select()
      .from(auditLog)
      .where(like(auditLog.action, 'user.%'))
      .orderBy(auditLog.id);
    expect(audits.map((a) => [a.action, a.actorId, a.details])).toEqual([
      ['user.grant', admin.id, { userId: stranger.id, role: 'viewer', previous: null }],
      ['user.grant', admin.id, { userId: stranger.id, role: 'operator', previous: 'viewer' }],
      ['user.revoke', admin.id, { userId: stranger.id, previous: 'operator' }],
    ]);
  });

  it.each([
    ['/grant', 'Usage: /grant <user_id> viewer|operator|admin'],
    ['/grant 5', 'Usage: /grant <user_id> viewer|operator|admin'],
    ['/grant 5 viewer extra', 'Usage: /grant'],
    ['/grant abc viewer', '"abc" is not a Telegram user id'],
    ['/grant -5 viewer', '"-5" is not a Telegram user id'],
    ['/grant 0 viewer', '"0" is not a Telegram user id'],
    ['/grant 99999999999999999999 viewer', '"99999999999999999999" is not a Telegram user id'],
    ['/grant 5 superuser', '"superuser" is not a role: use viewer, operator or admin.'],
    [`/grant ${admin.id} viewer`, 'You cannot change or revoke your own access; ask another admin.'],
    ['/revoke', 'Usage: /revoke <user_id>'],
    ['/revoke x1', '"x1" is not a Telegram user id'],
    [`/revoke ${admin.id}`, 'You cannot change or revoke your own access; ask another admin.'],
    ['/revoke 424242', 'User 424242 has no access; nothing to revoke.'],
  ])('%s → one line, nothing changed', async (command, expected) => {
    const before = await snapshot();
    const reply = await bot.ask(admin, command);
    expect(reply).toContain(expected);
    expect(reply.split('\n')).toHaveLength(1);
    expect(await snapshot()).toEqual(before);
  });
});

describe('access', () => {
  it('operators and viewers are refused, in their language, and the attempt is audited', async () => {
    const before = await snapshot();
    expect(await bot.ask(people.operator, `/grant ${stranger.id} admin`)).toBe(
      'Your role (operator) does not allow that.',
    );
    expect(await bot.ask(people.viewer, `/grant ${people.viewer.id} admin`)).toBe(
      'Ваша роль (viewer) этого не позволяет.',
    );
    expect(await bot.ask(people.viewer, `/revoke ${admin.id}`)).toBe(
      'Ваша роль (viewer) этого не позволяет.',
    );
    expect(await snapshot()).toEqual(before);
    const forbidden = await database()
      .db.select()
      .from(auditLog)
      .where(eq(auditLog.action, 'access.forbidden'))
      .orderBy(auditLog.id);
    expect(forbidden.map((a) => [a.actorId, (a.details as { attempted: string }).attempted])).toEqual([
      [people.operator.id, 'grant'],
      [people.viewer.id, 'grant'],
      [people.viewer.id, 'revoke'],
    ]);
  });

  it('an admin answers in Russian to a Russian speaker', async () => {
    expect(await bot.ask({ ...admin, language_code: 'ru' }, '/grant 77 admin')).toBe(
      'Пользователь 77 получил доступ с ролью admin.',
    );
    expect(await bot.ask({ ...admin, language_code: 'ru' }, '/revoke 77')).toBe(
      'Пользователь 77 больше не имеет доступа.',
    );
  });
});
