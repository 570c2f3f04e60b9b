// Command latency: update in (the fake Bot API hands it to the bot) → reply out (the bot's
// sendMessage reaches the fake), for /list and /task with 100 000 tasks in the database and 50
// chats asking at once. Real telegraf, real Postgres; the fake Bot API is test/support's.
// Run: node bench/command-latency.ts   (TASKS=100000 CHATS=50 ROUNDS=10)
import { sql } from 'drizzle-orm';
import { createBot } from '../src/bot/index.ts';
import { createLogger } from '../src/logger.ts';
import type { JobPort } from '../src/tasks/ports.ts';
import { startFakeBotApi } from '../test/support/fake-bot-api.ts';
import { startBotAgainst } from '../test/support/telegram.ts';
import { benchDatabase, summarize } from './support.ts';

const TASKS = Number(process.env.TASKS ?? 100_000);
const CHATS = Number(process.env.CHATS ?? 50);
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const log = createLogger({ level: 'warn', format: 'json' });
// Reads only: /list and /task never touch the queue.
const noJobs: JobPort = {
  dispatch: async () => {},
  cancelRuns: async () => {},
  publish: async () => {},
};

const bench = await benchDatabase();
const { db } = bench.database;
const seeded = performance.now();
await db.execute(
  sql`insert into accounts (username, health) select 'acct' || g, 'ok' from generate_series(1, 200) g`,
);
await db.execute(sql`
  insert into tasks (name, status, settings, chat_id, created_by, started_at, completed_at)
  select 'task ' || g, (array['completed','failed','cancelled','running','pending'])[1 + g % 5], '{}'::jsonb, 1,
         1, now() - interval '1 hour', case when g % 5 < 3 then now() end
  from generate_series(1, ${TASKS}) g`);
await db.execute(sql`
  insert into runs (task_id, account_id, status, counters, started_at, completed_at)
  select t.id, 1 + (t.id * 7 + a) % 200, case when t.status = 'failed' and a = 0 then 'failed' else 'completed' end,
         '{"itemsViewed": 12, "likes": 3}'::jsonb, t.started_at, t.completed_at
  from tasks t cross join generate_series(0, 2) a`);
await db.execute(
  sql`insert into users (telegram_id, role, username) select 5000 + g, 'viewer', 'user' || g from generate_series(1, ${CHATS}) g`,
);
await db.execute(sql`analyze`);
const seedSeconds = (performance.now() - seeded) / 1000;

const fake = await startFakeBotApi();
const bot = createBot({
  token: fake.token,
  apiRoot: fake.apiRoot,
  db,
  jobs: noJobs,
  log,
  sessionKey: undefined,
});
const running = await startBotAgainst(fake, bot);

async function measure(command: (chat: number, round: number) => string) {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(
      Array.from({ length: CHATS }, async (_, i) => {
        const chat = 5001 + i;
        const before = fake.messages(chat).length;
        const sent = performance.now();
        fake.sendText({
          from: { id: chat, username: `user${i}`, language_code: 'en' },
          text: command(chat, round),
        });
        await fake.waitFor(() => fake.messages(chat).length > before, { timeout: 60_000 });
        samples.push(performance.now() - sent);
      }),
    );
  }
  return summarize(samples);
}

const list = await measure((_chat, round) => (round % 2 === 0 ? '/list' : `/list failed ${1 + round}`));
const task = await measure((chat, round) => `/task ${1 + ((chat * 7919 + round * 104_729) % TASKS)}`);
await running.stop();
await fake.close();
await bench.close();

const fmt = (n: number) => n.toFixed(1);
console.error(
  `server: ${bench.server}; ${TASKS} tasks (${TASKS * 3} runs) seeded in ${seedSeconds.toFixed(1)} s; ${CHATS} chats × ${ROUNDS} rounds`,
);
console.error('| command | n | mean ms | p50 ms | p95 ms | max ms |');
console.error('|---|---|---|---|---|---|');
for (const [name, r] of [
  ['/list', list],
  ['/task', task],
] as const) {
  console.error(`| ${name} | ${r.n} | ${fmt(r.mean)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.max)} |`);
}
process.exit(0);
