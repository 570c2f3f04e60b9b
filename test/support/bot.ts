// The whole chat path for tests: real telegraf against the fake Bot API, real pg-boss on the
// test database, the notifier consuming the notification queue, and optionally workers.
import { createBot } from '../../src/bot/index.ts';
import { createNotifier } from '../../src/bot/notifications/notifier.ts';
import { type TelegramWatch, watchTelegram } from '../../src/bot/notifications/telegram-watch.ts';
import { upsertUser } from '../../src/db/users-repo.ts';
import type { Metrics } from '../../src/http/metrics.ts';
import type { Boss } from '../../src/jobs/boss.ts';
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
  /** Present when metrics were given: the bot's API watch, as main.ts wires it. */
  telegram: TelegramWatch | undefined;
  stop(): Promise<void>;
};

export async function startBotHarness(
  database: TestDatabase,
  options: { runner?: SessionRunner; sessionKey?: Buffer; concurrency?: number; metrics?: Metrics } = {},
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
  const bot = createBot({
    token: fake.token,
    apiRoot: fake.apiRoot,
    db,
    jobs,
    log: testLog,
    sessionKey: options.sessionKey,
  });
  const { metrics } = options;
  const telegram = metrics && watchTelegram(bot.telegram, metrics.telegramError);
  const notifier = createNotifier({ db, telegram: bot.telegram, log: testLog });
  const notifications = await startNotificationWorker({
    boss,
    deliver: notifier.deliver,
    log: testLog,
    onDelivered: metrics?.notificationDelivered,
  });
  const workers = options.runner
    ? await startTestWorkers(database, boss, options.runner, options.concurrency ?? 4, {
        onRunFinished: metrics?.runFinished,
        sessionKey: options.sessionKey,
      })
    : undefined;
  const running = await startBotAgainst(fake, bot);
  telegram?.launched();
  return {
    fake,
    boss,
    workers,
    telegram,
    async stop() {
      await running.stop();
      await workers?.stop(0);
      await notifications.stop();
      await boss.boss.stop({ graceful: false, timeout: 1000 });
      await fake.close();
    },
  };
}

/** The text of every message the bot has in this chat (captions included), oldest first. */
export function texts(fake: FakeBotApi, chatId: number): string[] {
  return fake.messages(chatId).map((m) => String(m.text ?? m.caption ?? ''));
}
