// /grant and /revoke through real telegraf, the fake Bot API and Postgres: admins only, audited,
// nobody changes their own access, and a granted user gets past the allow-list at once. Admins
// from TELEGRAM_ADMIN_IDS are a source read at every check: removed there, they are admins no more.
import { count, eq, like, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, users } from '../../../../src/db/schema.ts';
import { clearSeededAdminRoles, upsertUser } from '../../../../src/db/users-repo.ts';
import { askIn, type ChatBot, people, startChatBot, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase, waitForLockWaits } from '../../../support/db.ts';

const database = useTestDatabase();
const admin = people.admin;
const stranger = people.stranger;

const bot = useChatBot(database);

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
      'Ваша роль (наблюдатель) этого не позволяет.',
    );
    expect(await bot.ask(people.viewer, `/revoke ${admin.id}`)).toBe(
      'Ваша роль (наблюдатель) этого не позволяет.',
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
      'Пользователь 77 получил доступ с ролью администратор.',
    );
    expect(await bot.ask({ ...admin, language_code: 'ru' }, '/revoke 77')).toBe(
      'Пользователь 77 больше не имеет доступа.',
    );
  });
});

describe('admins from the configuration', () => {
  const configured = { id: 2001, username: 'cfg', language_code: 'en', first_name: 'Cfg' };
  const granted = { id: 2002, username: 'gina', language_code: 'en', first_name: 'Gina' };

  /** A bot process started with these TELEGRAM_ADMIN_IDS, stopped after `use`. */
  async function withAdmins(adminIds: number[], use: (other: ChatBot) => Promise<void>) {
    const other = await startChatBot(database(), { adminIds });
    try {
      await use(other);
    } finally {
      await other.stop();
    }
  }

  it('a configured admin is an admin without any row granting it; grant and revoke on them are refused', async () => {
    await withAdmins([configured.id], async (other) => {
      expect(await other.ask(configured, '/help')).toContain('Your role: admin.');
      const before = await snapshot();
      const refusal = `User ${configured.id} is an admin configured on the server (TELEGRAM_ADMIN_IDS); that is changed there, not here.`;
      expect(await other.ask(admin, `/revoke ${configured.id}`)).toBe(refusal);
      expect(await other.ask(admin, `/grant ${configured.id} viewer`)).toBe(refusal);
      expect(await snapshot()).toEqual(before);
    });
    // Known by name for "restarted by @cfg", but with no role of its own.
    expect(await database().db.select().from(users).where(eq(users.telegramId, configured.id))).toMatchObject(
      [{ username: 'cfg', role: null }],
    );
  });

  it('removed from the environment and restarted: no longer an admin, back to a role granted in chat', async () => {
    await withAdmins([], async (other) => {
      expect(await other.ask(configured, '/help')).toContain(`Your Telegram id is ${configured.id}`);
      expect(await other.ask(admin, `/grant ${granted.id} operator`)).toBe(
        `User ${granted.id} can now use the bot as operator.`,
      );
    });
    await withAdmins([granted.id], async (other) => {
      expect(await other.ask(granted, '/help')).toContain('Your role: admin.');
    });
    await withAdmins([], async (other) => {
      expect(await other.ask(granted, '/help')).toContain('Your role: operator.');
      expect(await other.ask(granted, `/grant ${stranger.id} viewer`)).toBe(
        'Your role (operator) does not allow that.',
      );
    });
  });

  it('an admin row seeded from the environment by an earlier version is cleared at start; chat grants stay', async () => {
    const { db } = database();
    await upsertUser(db, { telegramId: 2003, role: 'admin' }); // what the old start-up loop wrote
    await upsertUser(db, { telegramId: 2004, role: 'admin', grantedBy: admin.id });
    expect(await clearSeededAdminRoles(db)).toBeGreaterThanOrEqual(1);
    expect(await roleOf(2003)).toBeNull();
    expect(await roleOf(2004)).toBe('admin');
    await withAdmins([], async (other) => {
      expect(await other.ask({ id: 2003, first_name: 'Old' }, '/help')).toContain('Your Telegram id is 2003');
    });
    await db.delete(users).where(eq(users.telegramId, 2004));
  });

  it('two admins revoking each other at the same moment leave one admin, not none', async () => {
    const { db } = database();
    const second = { id: 2005, username: 'sam', language_code: 'en', first_name: 'Sam' };
    await upsertUser(db, { telegramId: second.id, role: 'admin', grantedBy: admin.id });
    let replies: Promise<string[]> | undefined;
    // Both revokes are held at their audit write (the table is locked here) until both are inside
    // their transactions: without a lock of their own, each would see the other still an admin.
    await db.transaction(async (tx) => {
      await tx.execute(sql`lock table audit_log in exclusive mode`);
      replies = Promise.all(
        bot.fake.inOneBatch(() => [
          askIn(bot.fake, admin, `/revoke ${second.id}`),
          askIn(bot.fake, second, `/revoke ${admin.id}`),
        ]),
      );
      await waitForLockWaits(db, 2, 10_000);
    });
    const [a, b] = await replies!;
    const admins = await db.select().from(users).where(eq(users.role, 'admin'));
    expect(admins).toHaveLength(1);
    const winner = admins[0]!.telegramId;
    expect([a, b]).toEqual(
      winner === admin.id
        ? [
            `User ${second.id} no longer has access.`,
            expect.stringMatching(/no longer an admin|does not allow|Your Telegram id/),
          ]
        : [
            expect.stringMatching(/no longer an admin|does not allow|Your Telegram id/),
            `User ${admin.id} no longer has access.`,
          ],
    );
    await upsertUser(db, { telegramId: admin.id, role: 'admin', username: admin.username });
    await db.delete(users).where(eq(users.telegramId, second.id));
  });
});
