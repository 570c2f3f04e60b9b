// The whole chat path for tests: real telegraf against the fake Bot API, wired and launched as
// main.ts does it (test/support/telegram.ts: the inbox, per-chat lanes), real pg-boss on the test
// database, the outbox fed by the notification queue, and optionally workers.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createCheckAnswerSender } from '../../src/bot/commands/check/answer.ts';
import type { Outbox } from '../../src/bot/notifications/outbox.ts';
import type { TelegramWatch } from '../../src/bot/notifications/telegram-watch.ts';
import type { WireBotOptions } from '../../src/bot/wiring.ts';
import type { Db } from '../../src/db/client.ts';
import { upsertUser } from '../../src/db/users-repo.ts';
import type { Metrics } from '../../src/http/metrics.ts';
import type { LeaseTimings } from '../../src/jobs/account-lease.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { startCheckAnswerWorker } from '../../src/jobs/check-answer-job.ts';
import { type AccountChecker, createAccountChecker } from '../../src/jobs/check-runner.ts';
import { startNotificationWorker } from '../../src/jobs/notify-job.ts';
import type { SessionRunner } from '../../src/jobs/session-runner.ts';
import { createTaskJobs } from '../../src/jobs/task-jobs.ts';
import { createWarmupRunner } from '../../src/jobs/warmup-runner.ts';
import type { WorkerDeps, Workers } from '../../src/jobs/workers.ts';
import { fixtureAccount } from './accounts.ts';
import type { TestDatabase } from './db.ts';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.ts';
import { type FixtureBrowser, useFixtureBrowser } from './fixture-browser.ts';
import { startTestBoss, startTestWorkers, testLog } from './jobs.ts';
import { standIn, started } from './stand-in.ts';
import { type LaunchedBot, launchWired } from './telegram.ts';

export const people = {
  admin: { id: 1001, username: 'anna', language_code: 'en', first_name: 'Anna' },
  operator: { id: 1002, username: 'bob', language_code: 'en', first_name: 'Bob' },
  viewer: { id: 1003, username: 'vera', language_code: 'ru', first_name: 'Вера' },
  stranger: { id: 1666, username: 'mallory', language_code: 'en', first_name: 'Mallory' },
} as const;

/** The allow-listed people of every bot test: an admin, an operator and a viewer (the stranger is not). */
export async function seedPeople(db: Db): Promise<void> {
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    await upsertUser(db, { telegramId: people[role].id, role, username: people[role].username });
  }
}

export type BotHarness = {
  fake: FakeBotApi;
  boss: Boss;
  workers: Workers | undefined;
  /** The bot's update-intake watch, as main.ts wires it. */
  telegram: TelegramWatch;
  outbox: Outbox;
  /** Everything wireBot made (the digest too) and the launched intake. */
  wired: LaunchedBot;
  stop(): Promise<void>;
};

export type BotHarnessOptions = {
  runner?: SessionRunner;
  checker?: AccountChecker;
  lease?: Partial<LeaseTimings>;
  secretsKey?: Buffer;
  concurrency?: number;
  metrics?: Metrics;
  wiring?: Pick<WireBotOptions, 'budget' | 'outbox' | 'now' | 'digestEveryMs' | 'adminIds' | 'limits'>;
  /** More for the workers (a driven programme clock…). */
  workers?: Partial<WorkerDeps>;
};

export async function startBotHarness(
  database: TestDatabase,
  options: BotHarnessOptions = {},
): Promise<BotHarness> {
  const { db } = database;
  await seedPeople(db);
  const fake = await startFakeBotApi();
  const boss = await startTestBoss(database);
  const jobs = createTaskJobs(boss.boss, () => 0);
  const { metrics } = options;
  const wired = await launchWired(fake, {
    ...options.wiring,
    // Strict: callback data Telegram would refuse throws, in every test of the whole chat path.
    limits: { strict: true, ...options.wiring?.limits },
    db,
    jobs,
    log: testLog,
    secretsKey: options.secretsKey,
    onTelegramCall: metrics?.telegramCall,
    onDelivered: metrics?.notificationDelivered,
  });
  const { bot, outbox } = wired;
  const notifications = await startNotificationWorker({ boss, record: outbox.record, log: testLog });
  const checkAnswers = await startCheckAnswerWorker({
    boss,
    send: createCheckAnswerSender({ db, telegram: bot.telegram, log: testLog }),
    log: testLog,
  });
  const workers = options.runner
    ? await startTestWorkers(database, boss, options.runner, options.concurrency ?? 4, {
        onRunFinished: metrics?.runFinished,
        secretsKey: options.secretsKey,
        ...(options.checker ? { checker: options.checker } : {}),
        ...(options.lease ? { lease: options.lease } : {}),
        ...options.workers,
      })
    : undefined;
  return {
    fake,
    boss,
    workers,
    telegram: wired.watch,
    outbox,
    wired,
    async stop() {
      await wired.receiving.stop();
      await workers?.stop(0);
      await notifications.stop();
      await checkAnswers.stop();
      await wired.stop();
      await boss.boss.stop({ graceful: false, timeout: 1000 });
      await fake.close();
    },
  };
}

/** The text of every message the bot has in this chat (captions included), oldest first. */
export function texts(fake: FakeBotApi, chatId: number): string[] {
  return fake.messages(chatId).map((m) => String(m.text ?? m.caption ?? ''));
}

/**
 * startBotHarness before the file's tests (after its database, and after what `before` sets up:
 * a fixture site, a browser) and stopped after them. The object returned stands for the harness.
 */
export function useBotHarness(
  database: () => TestDatabase,
  options: BotHarnessOptions | (() => BotHarnessOptions | Promise<BotHarnessOptions>) = {},
): BotHarness {
  let current: BotHarness | undefined;
  beforeAll(async () => {
    current = await startBotHarness(database(), typeof options === 'function' ? await options() : options);
  });
  afterAll(async () => {
    await current?.stop();
  });
  return standIn(() => started(current, 'useBotHarness'));
}

export type WarmupBot = { h: BotHarness; key: Buffer } & FixtureBrowser;

/**
 * The product end to end for a test file: the fixture site and a browser, accounts logged in to
 * the site (saved logins encrypted under `key`; those in `loggedOut` logged out there), and the bot
 * harness whose workers run real warmups — and real checks, with `checker`.
 */
export function useWarmupBot(
  database: () => TestDatabase,
  options: { accounts: string[]; loggedOut?: string[]; checker?: boolean } & Pick<BotHarnessOptions, 'lease'>,
): WarmupBot {
  const key = randomBytes(32);
  const { site, host } = useFixtureBrowser();
  const h = useBotHarness(database, async () => {
    for (const name of options.accounts) await fixtureAccount(database().db, key, site, name);
    for (const name of options.loggedOut ?? []) site.accountState(name, 'logged_out');
    const log = testLog;
    return {
      runner: createWarmupRunner({ host, profile: site.profile, log }),
      ...(options.checker ? { checker: createAccountChecker({ host, profile: site.profile, log }) } : {}),
      secretsKey: key,
      ...(options.lease ? { lease: options.lease } : {}),
    };
  });
  return { h, key, site, host };
}
