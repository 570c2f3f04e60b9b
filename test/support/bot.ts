// The whole chat path for tests: real telegraf against the fake Bot API, wired by wireBot as
// main.ts wires it, real pg-boss on the test database, the outbox fed by the notification queue,
// and optionally workers.

import { createCheckAnswerSender } from '../../src/bot/commands/check/answer.ts';
import type { Outbox } from '../../src/bot/notifications/outbox.ts';
import type { TelegramWatch } from '../../src/bot/notifications/telegram-watch.ts';
import { type WireBotOptions, wireBot } from '../../src/bot/wiring.ts';
import { upsertUser } from '../../src/db/users-repo.ts';
import type { Metrics } from '../../src/http/metrics.ts';
import type { LeaseTimings } from '../../src/jobs/account-lease.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { startCheckAnswerWorker } from '../../src/jobs/check-answer-job.ts';
import type { AccountChecker } from '../../src/jobs/check-runner.ts';
import { startNotificationWorker } from '../../src/jobs/notify-job.ts';
import type { SessionRunner } from '../../src/jobs/session-runner.ts';
import { createTaskJobs } from '../../src/jobs/task-jobs.ts';
import type { Workers } from '../../src/jobs/workers.ts';
import type { TestDatabase } from './db.ts';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.ts';
import { startTestBoss, startTestWorkers, testLog } from './jobs.ts';
import { startBotAgainst } from './telegram.ts';

export const people = {
  admin: { id: 1001, username: 'anna', language_code: 'en', first_name: 'Anna' },
  operator: { id: 1002, username: 'bob', language_code: 'en', first_name: 'Bob' },
  viewer: { id: 1003, username: 'vera', language_code: 'ru', first_name: 'Вера' },
  stranger: { id: 1666, username: 'mallory', language_code: 'en', first_name: 'Mallory' },
} as const;

export type BotHarness = {
  fake: FakeBotApi;
  boss: Boss;
  workers: Workers | undefined;
  /** The bot's update-intake watch, as main.ts wires it. */
  telegram: TelegramWatch;
  outbox: Outbox;
  stop(): Promise<void>;
};

export async function startBotHarness(
  database: TestDatabase,
  options: {
    runner?: SessionRunner;
    checker?: AccountChecker;
    lease?: Partial<LeaseTimings>;
    sessionKey?: Buffer;
    concurrency?: number;
    metrics?: Metrics;
    wiring?: Pick<WireBotOptions, 'budget' | 'outbox' | 'now' | 'limits'>;
  } = {},
): Promise<BotHarness> {
  const { db } = database;
  await upsertUser(db, { telegramId: people.admin.id, role: 'admin', username: people.admin.username });
  await upsertUser(db, {
    telegramId: people.operator.id,
    role: 'operator',
    username: people.operator.username,
  });
  await upsertUser(db, { telegramId: people.viewer.id, role: 'viewer', username: people.viewer.username });
  const fake = await startFakeBotApi();
  const boss = await startTestBoss(database);
  const jobs = createTaskJobs(boss.boss, () => 0);
  const { metrics } = options;
  const { bot, watch, outbox } = await wireBot({
    ...options.wiring,
    // Strict: callback data Telegram would refuse throws, in every test of the whole chat path.
    limits: { strict: true, ...options.wiring?.limits },
    token: fake.token,
    apiRoot: fake.apiRoot,
    db,
    jobs,
    log: testLog,
    sessionKey: options.sessionKey,
    onTelegramCall: metrics?.telegramCall,
    onDelivered: metrics?.notificationDelivered,
  });
  const notifications = await startNotificationWorker({ boss, record: outbox.record, log: testLog });
  const checkAnswers = await startCheckAnswerWorker({
    boss,
    send: createCheckAnswerSender({ db, telegram: bot.telegram, log: testLog }),
    log: testLog,
  });
  const workers = options.runner
    ? await startTestWorkers(database, boss, options.runner, options.concurrency ?? 4, {
        onRunFinished: metrics?.runFinished,
        sessionKey: options.sessionKey,
        ...(options.checker ? { checker: options.checker } : {}),
        ...(options.lease ? { lease: options.lease } : {}),
      })
    : undefined;
  const running = await startBotAgainst(fake, bot);
  watch.launched();
  return {
    fake,
    boss,
    workers,
    telegram: watch,
    outbox,
    async stop() {
      await running.stop();
      await workers?.stop(0);
      await notifications.stop();
      await checkAnswers.stop();
      await outbox.stop();
      await boss.boss.stop({ graceful: false, timeout: 1000 });
      await fake.close();
    },
  };
}

/** The text of every message the bot has in this chat (captions included), oldest first. */
export function texts(fake: FakeBotApi, chatId: number): string[] {
  return fake.messages(chatId).map((m) => String(m.text ?? m.caption ?? ''));
}
