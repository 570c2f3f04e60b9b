// A bot for command tests that need no queue: real telegraf against the fake Bot API, wired by
// wireBot as main.ts wires it, the test database, a JobPort that records what was asked of it,
// and the allow-listed people of bot.ts.
import { count, eq, sql } from 'drizzle-orm';
import { createThrottle } from '../../src/bot/notifications/throttle.ts';
import { wireBot } from '../../src/bot/wiring.ts';
import type { Db } from '../../src/db/client.ts';
import { auditLog, runs, tasks } from '../../src/db/schema.ts';
import { upsertUser } from '../../src/db/users-repo.ts';
import type { Logger } from '../../src/logger.ts';
import { people } from './bot.ts';
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
import { startBotAgainst } from './telegram.ts';

export { people };

export type ChatBot = {
  fake: FakeBotApi;
  jobs: RecordingJobs;
  /** Sends text as `from` (in `chat`, default their private chat); resolves to the bot's next message. */
  ask(from: FakeUser, text: string, chat?: number): Promise<string>;
  /** Taps a button as `from`; resolves to the callback answer's text. */
  tap(from: FakeUser, data: string, messageId: number, chat?: number): Promise<string>;
  stop(): Promise<void>;
};

/**
 * The send throttle for command tests. Telegram's one message a second per chat would put 1.1 s
 * between the replies of consecutive tests (they all talk in the same chats) and prove nothing
 * there: this one keeps the order and the 100 ms margin only. The real limits are tested in
 * test/bot/notifications/ and wherever a test gives its own budget.
 */
export const commandTestThrottle = () => createThrottle({ limits: { chatIntervalMs: 0 } });

export async function startChatBot(
  database: TestDatabase,
  options: {
    sessionKey?: Buffer;
    log?: Logger;
    adminIds?: number[];
    fake?: FakeBotApiOptions;
    now?: () => number;
    /** TIMEZONE: the zone absolute times are shown in. */
    timeZone?: string;
    /** The deployment's platforms (default: the built-in ones, tiktok the default). */
    platforms?: { names: readonly string[]; defaultName: string };
  } = {},
): Promise<ChatBot> {
  const { db } = database;
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    await upsertUser(db, { telegramId: people[role].id, role, username: people[role].username });
  }
  const fake = await startFakeBotApi(options.fake);
  const jobs = recordingJobs();
  const { bot, outbox } = await wireBot({
    token: fake.token,
    apiRoot: fake.apiRoot,
    db,
    jobs,
    log: options.log ?? testLog,
    sessionKey: options.sessionKey,
    adminIds: options.adminIds ?? [],
    ...(options.now ? { now: options.now } : {}),
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.platforms ? { platforms: options.platforms } : {}),
    budget: { throttle: commandTestThrottle() },
  });
  const running = await startBotAgainst(fake, bot);
  return {
    fake,
    jobs,
    ask: (from, text, chat) => askIn(fake, from, text, chat),
    tap: (from, data, messageId, chat) => tapIn(fake, from, data, messageId, chat),
    async stop() {
      await running.stop();
      await outbox.stop();
      await fake.close();
    },
  };
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

/** The task id a reply names ("Task #12 created…" → 12). */
export const taskIdIn = (text: string): number => Number(/#(\d+)/.exec(text)?.[1]);
