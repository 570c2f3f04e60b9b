// Next steps as buttons, through real telegraf, pg-boss and the fake Bot API: a failure notice of
// accounts whose proxy failed offers "Check" (a few, not one per account), /task offers the same,
// a tap queues a real /check of that account; /check is in the command menu.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { botCommands } from '../../../../src/bot/commands/help/help.ts';
import { MAX_NEXT_STEP_BUTTONS, nextStepButtons } from '../../../../src/bot/commands/tasks/next-steps.ts';
import { textsFor } from '../../../../src/bot/i18n/index.ts';
import { auditLog } from '../../../../src/db/schema.ts';
import { createTaskJobs } from '../../../../src/jobs/task-jobs.ts';
import { createTask } from '../../../../src/tasks/create-task.ts';
import { people, useBotHarness } from '../../../support/bot.ts';
import { buttonsOf, tapIn } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { makeAccounts } from '../../../support/fixtures.ts';
import { completed, failed, steeredRunner } from '../../../support/jobs.ts';

const database = useTestDatabase();
const steer = steeredRunner({
  autoRelease: true,
  plan: (input) => {
    const name = input.account.username;
    if (name.startsWith('proxy')) return failed('proxy_error', false);
    if (name.startsWith('locked')) return failed('logged_out', false);
    return completed();
  },
});
const h = useBotHarness(database, { runner: steer.runner });

const chat = people.operator.id;
const settings = { parallel: 4, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 };

async function finishedTask(accounts: { prefix: string; n: number }[]) {
  const { db } = database();
  const accountIds: number[] = [];
  for (const { prefix, n } of accounts) accountIds.push(...(await makeAccounts(db, n, prefix)));
  const { task } = await createTask(db, createTaskJobs(h.boss.boss), {
    name: 'mixed task',
    settings,
    accountIds,
    chatId: chat,
    actorId: people.operator.id,
  });
  const notice = await h.fake.waitFor(
    () =>
      h.fake
        .messages(chat)
        .find((m) => m.photo && String(m.caption).startsWith(`❌ #${task.id}`) && m.reply_markup),
    { timeout: 20_000, description: `the failure notice of task ${task.id}` },
  );
  return { task, notice };
}

const checkButtons = (m: Parameters<typeof buttonsOf>[0]) =>
  buttonsOf(m).filter(([, data]) => data?.startsWith('k:'));

describe('Check buttons for a proxy that failed', () => {
  it('a notice of four proxy failures and a logout offers three Check buttons, one per account; the text still names the step', async () => {
    const { task, notice } = await finishedTask([
      { prefix: 'proxy', n: 4 },
      { prefix: 'locked', n: 1 },
    ]);
    const buttons = checkButtons(notice);
    expect(buttons).toHaveLength(3);
    for (const [text, data] of buttons) {
      const name = data!.slice(2);
      expect(name).toMatch(/^proxy\d+$/);
      expect(text).toBe(`🔎 Check ${name}`);
      expect(String(notice.caption)).toContain(
        `• ${name}: the proxy did not work — check the account and its proxy: /check ${name}.`,
      );
    }
    expect(new Set(buttons.map(([, d]) => d)).size).toBe(3);
    // The logged-out account gets its sentence and no button: an upload cannot be a tap.
    expect(String(notice.caption)).toMatch(/• locked\d+: logged out — send a fresh login/);
    expect(buttonsOf(notice).map(([t]) => t)).toContain('🔁 Restart');

    // /task offers the same buttons, in the reader's language.
    const ru = { ...people.operator, language_code: 'ru' };
    const before = h.fake.messages(chat).length;
    h.fake.sendText({ from: ru, text: `/task ${task.id}` });
    const details = await h.fake.waitFor(() =>
      h.fake
        .messages(chat)
        .slice(before)
        .find(
          (m) =>
            String(m.text).startsWith(`❌ <b>#${task.id}`) || String(m.text).startsWith(`❌ #${task.id}`),
        ),
    );
    const ruButtons = checkButtons(details);
    expect(ruButtons).toHaveLength(3);
    expect(ruButtons.every(([text, data]) => text === `🔎 Проверить ${data!.slice(2)}`)).toBe(true);
  });

  it('a tap on Check queues a real check of that account, whose answer comes to the chat', async () => {
    const { notice } = await finishedTask([{ prefix: 'proxy', n: 1 }]);
    const [[, data]] = checkButtons(notice) as [[string, string]];
    const name = data.slice(2);
    expect(await tapIn(h.fake, people.viewer, data, notice.message_id)).toBe(
      'Ваша роль (наблюдатель) этого не позволяет.',
    );
    expect(await tapIn(h.fake, people.operator, data, notice.message_id)).toBe(
      `Checking @${name}… (answer within a minute)`,
    );
    // These workers have no browser: the check job runs and says it could not check here.
    const answer = await h.fake.waitFor(() =>
      h.fake.messages(chat).find((m) => String(m.text ?? m.caption).startsWith(`🔎 Check of @${name}`)),
    );
    expect(String(answer.text ?? answer.caption)).toContain('The check did not run');
    const audit = await database()
      .db.select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'account.check'), eq(auditLog.actorId, people.operator.id)));
    expect(audit.map((a) => (a.details as { username: string }).username)).toContain(name);
  });

  it.each([
    ['k:', /not valid/],
    ['k:no such!', /not valid/],
    [`k:${'a'.repeat(25)}`, /not valid/],
    ['k:nobody', /There is no account @nobody/],
  ])('a forged or stale Check tap %s gets a short answer', async (data, answer) => {
    expect(await tapIn(h.fake, people.operator, data, 1)).toMatch(answer);
  });
});

describe('how many next-step buttons a message carries', () => {
  it('twenty proxy failures give three buttons; reasons without a tap and odd codes give none', () => {
    const t = textsFor('en');
    const many = Array.from({ length: 20 }, (_, i) => ({ account: `proxy${i}`, code: 'proxy_error' }));
    expect(nextStepButtons(t, many).map((b) => b.text)).toEqual([
      '🔎 Check proxy0',
      '🔎 Check proxy1',
      '🔎 Check proxy2',
    ]);
    expect(MAX_NEXT_STEP_BUTTONS).toBe(3);
    const twice = [...Array(3).fill({ account: 'carol', code: 'proxy_error' })];
    expect(nextStepButtons(t, twice)).toHaveLength(1);
    const none = ['logged_out', 'captcha', 'blocked', 'toString', '__proto__', null].map((code) => ({
      account: 'carol',
      code,
    }));
    expect(nextStepButtons(t, none)).toEqual([]);
  });
});

describe('the command menu', () => {
  it('lists /check in both languages', async () => {
    for (const lang of ['en', 'ru'] as const) {
      expect(botCommands(textsFor(lang)).map((c) => c.command)).toContain('check');
    }
    expect(botCommands(textsFor('en')).find((c) => c.command === 'check')?.description).toBe(
      'Check an account: /check alice',
    );
  });
});
