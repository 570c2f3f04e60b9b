// Notification drain under Telegram's limits: FINALS task finals (completions) across PRIVATE
// private chats and GROUPS groups, finishing at random moments within WINDOW_MS, delivered by the
// real pipeline (pg-boss → outbox → per-chat lanes → send budget → real telegraf) to the fake Bot
// API, which enforces the limits (429 + retry_after past 1/s per chat, 20/min per group, 30/s
// overall). Reports messages, finals delivered, 429s, duplicates, and drain time against the
// theoretical minimum. Run: node bench/notification-drain.ts  (FINALS=200 PRIVATE=20 GROUPS=5;
// DEBUG_429=1 prints every 429 with the accepted sends to that chat)
import { sql } from 'drizzle-orm';
import { wireBot } from '../src/bot/wiring.ts';
import { insertAccount } from '../src/db/accounts-repo.ts';
import { upsertUser } from '../src/db/users-repo.ts';
import { startBoss } from '../src/jobs/boss.ts';
import { startNotificationWorker } from '../src/jobs/notify-job.ts';
import { createTaskJobs } from '../src/jobs/task-jobs.ts';
import { createLogger } from '../src/logger.ts';
import { createTask } from '../src/tasks/create-task.ts';
import { beginRun, finishRun } from '../src/tasks/run-session.ts';
import { startFakeBotApi } from '../test/support/fake-bot-api.ts';
import { benchDatabase, summarize } from './support.ts';

const FINALS = Number(process.env.FINALS ?? 200);
const PRIVATE = Number(process.env.PRIVATE ?? 20);
const GROUPS = Number(process.env.GROUPS ?? 5);
const WINDOW_MS = Number(process.env.WINDOW_MS ?? 10_000);
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', format: 'json' });

// A small deterministic generator, so every run spreads the finals the same way.
let seed = 20_260_101;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const bench = await benchDatabase();
const { db } = bench.database;
const boss = await startBoss({ url: bench.url, log, schedule: false });
const jobs = createTaskJobs(boss.boss, () => 0);
const fake = await startFakeBotApi();
fake.enforceLimits(); // Telegram's: 1/s per chat, 20/min per group, 30/s overall
const chats = [
  ...Array.from({ length: PRIVATE }, (_, i) => 7001 + i),
  ...Array.from({ length: GROUPS }, (_, i) => -8001 - i),
];
for (const chat of chats.filter((c) => c > 0)) await upsertUser(db, { telegramId: chat, role: 'operator' });
const { outbox } = await wireBot({
  token: fake.token,
  apiRoot: fake.apiRoot,
  db,
  jobs,
  log,
  secretsKey: undefined,
});
const notifications = await startNotificationWorker({ boss, record: outbox.record, log });

// Every task running already, its start not reported (no chat yet), so the window holds finals only.
const made: { taskId: number; chat: number; ref: { runId: number; runNumber: number } }[] = [];
for (let i = 0; i < FINALS; i++) {
  const account = await insertAccount(db, { username: `bench${i}` });
  const { task, runs } = await createTask(db, jobs, {
    name: `bench ${i}`,
    settings: { parallel: 1, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 },
    accountIds: [account!.id],
    chatId: null,
    actorId: null,
  });
  const ref = { runId: runs[0]!.id, runNumber: runs[0]!.runNumber };
  await beginRun(db, jobs, ref);
  made.push({ taskId: task.id, chat: chats[i % chats.length]!, ref });
}
for (const m of made) await db.execute(sql`update tasks set chat_id = ${m.chat} where id = ${m.taskId}`);

const firstCall = fake.calls().length;
const finishedAt = new Map<number, number>();
const t0 = performance.now() + 200;
const wall0 = Date.now() + 200;
await Promise.all(
  made.map(async (m) => {
    const at = t0 + random() * WINDOW_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
    await finishRun(db, jobs, m.ref, { kind: 'completed', counters: {}, cappedByTime: false });
    finishedAt.set(m.taskId, Date.now() - wall0);
  }),
);

// Delivered: a task's id in a message Telegram accepted in its chat. Wait for every one.
const chatOf = new Map(made.map((m) => [m.taskId, m.chat]));
function deliveries() {
  const seen = new Map<number, number[]>(); // task → times (ms since t0) of the messages naming it
  let messages = 0;
  for (const call of fake.calls().slice(firstCall)) {
    if (call.status !== 200 || !call.method.startsWith('send')) continue;
    messages += 1;
    for (const [, id] of String(call.params.text ?? call.params.caption).matchAll(/#(\d+)<\/b>/g)) {
      const taskId = Number(id);
      if (chatOf.get(taskId) === call.params.chat_id)
        seen.set(taskId, [...(seen.get(taskId) ?? []), call.at - wall0]);
    }
  }
  return { seen, messages };
}
await fake.waitFor(() => deliveries().seen.size === FINALS, { timeout: 300_000, description: 'every final' });
await outbox.idle();
const { seen, messages } = deliveries();
if (process.env.DEBUG_429) {
  for (const c of fake.calls().filter((c) => c.status === 429)) {
    const same = fake.calls().filter((d) => d.params.chat_id === c.params.chat_id && d.status === 200);
    console.error(
      '429',
      c.method,
      c.params.chat_id,
      c.at - wall0,
      JSON.stringify(c.response),
      same.map((d) => d.at - wall0),
    );
    const near = fake.calls().filter((d) => d.status === 200 && Math.abs(d.at - c.at) < 1000).length;
    console.error('accepted within ±1 s overall', near);
  }
}
const duplicates = [...seen.values()].filter((times) => times.length > 1).length;
const drainMs = Math.max(...[...seen.values()].map((t) => t[0]!));
const lags = made.map((m) => seen.get(m.taskId)![0]! - finishedAt.get(m.taskId)!);

// The least any scheduler needs: a chat's last final cannot go out before it happened. The second
// bound sends each final alone (no digests) as early as the limits allow, chats in parallel.
const lowerBound = Math.max(...finishedAt.values());
const ideal = idealUnfolded(made.map((m) => ({ chat: m.chat, at: finishedAt.get(m.taskId)! })));

await notifications.stop();
await outbox.stop();
await boss.boss.stop({ graceful: false, timeout: 1000 });
await fake.close();
await bench.close();

const lag = summarize(lags);
const s = (ms: number) => (ms / 1000).toFixed(2);
console.error(
  `server: ${bench.server}; ${FINALS} finals over ${WINDOW_MS / 1000} s, ${PRIVATE} private chats + ${GROUPS} groups`,
);
console.error(
  '| messages sent | finals delivered | 429s | duplicates | drain s | minimum s | drain / minimum | one-message-per-final ideal s |',
);
console.error('|---|---|---|---|---|---|---|---|');
console.error(
  `| ${messages} | ${seen.size}/${FINALS} | ${fake.rateLimitHits()} | ${duplicates} | ${s(drainMs)} | ${s(lowerBound)} | ${(drainMs / lowerBound).toFixed(2)}× | ${s(ideal)} |`,
);
console.error(`final → message lag: p50 ${s(lag.p50)} s, p95 ${s(lag.p95)} s, max ${s(lag.max)} s`);
process.exit(0);

/** Earliest-slot schedule with exact limits, one message per final, in order of their times. */
function idealUnfolded(finals: { chat: number; at: number }[]): number {
  const byChat = new Map<number, number[]>();
  const global: number[] = [];
  let end = 0;
  for (const f of [...finals].sort((a, b) => a.at - b.at)) {
    const sent = byChat.get(f.chat) ?? [];
    let t = Math.max(f.at, (sent.at(-1) ?? -Infinity) + 1000);
    if (f.chat < 0 && sent.length >= 20) t = Math.max(t, sent.at(-20)! + 60_000);
    for (;;) {
      const inWindow = global.filter((g) => g > t - 1000 && g <= t).length;
      if (inWindow < 30) break;
      t = global.filter((g) => g > t - 1000)[0]! + 1000;
    }
    sent.push(t);
    byChat.set(f.chat, sent);
    global.push(t);
    global.sort((a, b) => a - b);
    end = Math.max(end, t);
  }
  return end;
}
