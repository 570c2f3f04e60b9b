// A bot for command tests that need no queue: real telegraf against the fake Bot API, wired and
// launched as main.ts does it (test/support/telegram.ts: the inbox, per-chat lanes), the test
// database, a JobPort that records what was asked of it, and the allow-listed people of bot.ts.
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { createThrottle } from '../../src/bot/notifications/throttle.ts';
import type { WireBotOptions } from '../../src/bot/wiring.ts';
import type { Db } from '../../src/db/client.ts';
import { auditLog, runs, tasks } from '../../src/db/schema.ts';
import type { Logger } from '../../src/logger.ts';
import { people, seedPeople } from './bot.ts';
import type { TestDatabase } from './db.ts';
import {
  type FakeBotApi,
  type FakeBotApiOptions,
  type FakeMessage,
  type FakeUser,
  startFakeBotApi,
} from './fake-bot-api.ts';
import { type RecordingJobs, recordingJobs } from './fixtures.ts';
import { testLog } from './jobs.ts';
import { standIn, started } from './stand-in.ts';
import { type LaunchedBot, launchWired } from './telegram.ts';

export { people };

export type ChatBot = {
  fake: FakeBotApi;
  jobs: RecordingJobs;
  /** What wireBot made (the outbox, the digest, the send budget) and the launched intake. */
  wired: LaunchedBot;
  /** Sends text as `from` (in `chat`, default their private chat); resolves to the bot's next message. */
  ask(from: FakeUser, text: string, chat?: number): Promise<string>;
  /** Taps a button as `from`; resolves to the callback answer's text. */
  tap(from: FakeUser, data: string, messageId: number, chat?: number): Promise<string>;
  stop(): Promise<void>;
};

export type ChatBotOptions = {
  secretsKey?: Buffer;
  log?: Logger;
  adminIds?: number[];
  fake?: FakeBotApiOptions;
  now?: () => number;
  /** TIMEZONE: the zone absolute times are shown in. */
  timeZone?: string;
  /** Anything else wireBot takes (the outbox's sweep, the digest's timer, another throttle). */
  wiring?: Pick<WireBotOptions, 'budget' | 'outbox' | 'digestEveryMs'>;
  /** The send guard's hooks (it is strict here: bad callback data throws). */
  limits?: WireBotOptions['limits'];
  /** The deployment's platforms (default: the built-in ones, tiktok the default). */
  platforms?: { names: readonly string[]; defaultName: string };
};

/**
 * The send throttle for command tests. Telegram's one message a second per chat would put 1.1 s
 * between the replies of consecutive tests (they all talk in the same chats) and prove nothing
 * there: this one keeps the order and the 100 ms margin only. The real limits are tested in
 * test/bot/notifications/ and wherever a test gives its own budget.
 */
export const commandTestThrottle = () => createThrottle({ limits: { chatIntervalMs: 0 } });

export async function startChatBot(database: TestDatabase, options: ChatBotOptions = {}): Promise<ChatBot> {
  const { db } = database;
  await seedPeople(db);
  const fake = await startFakeBotApi(options.fake);
  const jobs = recordingJobs();
  let wired: LaunchedBot;
  try {
    wired = await launchWired(fake, {
      db,
      jobs,
      log: options.log ?? testLog,
      secretsKey: options.secretsKey,
      adminIds: options.adminIds ?? [],
      ...(options.now ? { now: options.now } : {}),
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      budget: { throttle: commandTestThrottle() },
      ...(options.platforms ? { platforms: options.platforms } : {}),
      ...options.wiring,
      limits: { strict: true, ...options.limits },
    });
  } catch (error) {
    await fake.close();
    throw error;
  }
  return {
    fake,
    jobs,
    wired,
    ask: (from, text, chat) => askIn(fake, from, text, chat),
    tap: (from, data, messageId, chat) => tapIn(fake, from, data, messageId, chat),
    async stop() {
      await wired.stop();
      await fake.close();
    },
  };
}

/**
 * startChatBot before the file's tests (after its database) and stopped after them. The object
 * returned stands for that bot: use it inside tests and hooks.
 */
export function useChatBot(database: () => TestDatabase, options: ChatBotOptions = {}): ChatBot {
  let current: ChatBot | undefined;
  beforeAll(async () => {
    current = await startChatBot(database(), options);
  });
  afterAll(async () => {
    await current?.stop();
  });
  return standIn(() => started(current, 'useChatBot'));
}

/** Sends text as `from` (in `chat`, default their private chat); resolves to the bot's next message. */
export async function askIn(fake: FakeBotApi, from: FakeUser, text: string, chat = from.id): Promise<string> {
  const before = fake.messages(chat).length;
  fake.sendText({ from, chat, text });
  const reply = await fake.waitFor(() => fake.messages(chat)[before], { description: `a reply to ${text}` });
  return String(reply.text);
}

/** Taps a button as `from`; resolves to the callback answer's text. */
export async function tapIn(
  fake: FakeBotApi,
  from: FakeUser,
  data: string,
  messageId: number,
  chat = from.id,
) {
  const id = fake.tapButton({ from, chat, message_id: messageId, data });
  const answer = await fake.waitFor(() => fake.callbackAnswer(id), { description: `an answer to ${data}` });
  return String(answer.text ?? '');
}

/** A message's inline buttons as [text, callback data], row after row. */
export function buttonsOf(message: FakeMessage | undefined): [string, string | undefined][] {
  return (message?.reply_markup?.inline_keyboard ?? []).flat().map((b) => [b.text, b.callback_data]);
}

/** What creating a task changes: task, run and (non-access) audit rows, and queued dispatches. */
export async function taskCounts(db: Db, jobs: RecordingJobs) {
  const [t] = await db.select({ n: count() }).from(tasks);
  const [r] = await db.select({ n: count() }).from(runs);
  const [a] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(sql`${auditLog.action} not like 'access.%'`);
  return { tasks: t?.n ?? 0, runs: r?.n ?? 0, audit: a?.n ?? 0, dispatched: jobs.dispatched.length };
}

/** A task row and the ids of its accounts, ascending. */
export async function taskWithAccounts(db: Db, id: number) {
  const [task] = await db.select().from(tasks).where(eq(tasks.id, id));
  const taskRuns = await db.select().from(runs).where(eq(runs.taskId, id));
  return { task: task!, accountIds: taskRuns.map((r) => r.accountId).sort((a, b) => a - b) };
}

/** What task tests read: what creating a task changed, a task with its accounts, a chat's last message. */
export function taskProbes(database: () => TestDatabase, bot: ChatBot) {
  return {
    snapshot: () => taskCounts(database().db, bot.jobs),
    taskRow: (id: number) => taskWithAccounts(database().db, id),
    lastMessage: (chat: number) => bot.fake.messages(chat).at(-1)!,
  };
}

/** The task id a reply names ("Task #12 created…" → 12). */
export const taskIdIn = (text: string): number => Number(/#(\d+)/.exec(text)?.[1]);
