// Command latency: the bot as deployed (node src/main.ts, ROLE=bot, a process of its own) against
// the fake Bot API, 100 000 tasks / 300 000 runs. A sample runs from the getUpdates answer that
// hands the update to the bot to the bot's reply arriving at the fake (sendMessage, or
// editMessageText for a ▶ tap), so the fake's own work is outside it. /list (all and failed, page
// 1 and 500, typed and by ▶) and /task, with 1, 10 and 50 chats sending at the same moment.
// Run: node bench/command-latency.ts   (TASKS=100000 CHATS=1,10,50 SAMPLES=200 POOL=400
//      BOT_UPDATE_CONCURRENCY=… is passed to the bot)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listTasksPage } from '../src/tasks/queries.ts';
import { startFakeBotApi } from '../test/support/fake-bot-api.ts';
import { benchDatabase, seedTasks, summarize } from './support.ts';

const TASKS = Number(process.env.TASKS ?? 100_000);
const LEVELS = (process.env.CHATS ?? '1,10,50').split(',').map(Number);
const SAMPLES = Number(process.env.SAMPLES ?? 200);
const maxChats = Math.max(...LEVELS);
// Telegram lets a bot send about one message a second to a chat, and the bot keeps to that (its
// send budget): a chat asked again within the second waits for it. To measure the bot and not
// that pacing, rounds rotate over a pool of chats and a chat is asked again only after
// CHAT_GAP_MS since its last reply (the bench waits when the pool comes round too soon).
const POOL = Number(process.env.POOL ?? Math.max(400, maxChats * 8));
const CHAT_GAP_MS = 1200;
// Likewise the global budget (30 sends in any 1.1 s window): a round of k sends (a tap costs two:
// its answer and the edit) is followed by the next only when no 1.1 s window can hold more than
// 30, so the offered load stays under it. A round of more than 30 sends still meets the budget —
// that wait is part of what the last replies of such a burst cost, and the table shows it.
const WINDOW_MS = 1100;
const OFFERED = 25; // of the 30: headroom for the budget's own margin and the clocks' jitter
const spacingMs = (sends: number) =>
  sends <= OFFERED ? WINDOW_MS / Math.floor(OFFERED / sends) : WINDOW_MS * Math.ceil(sends / 30);
let nextRoundAt = 0;

const bench = await benchDatabase();
const { db } = bench.database;
const seedSeconds = await seedTasks(db, TASKS, POOL);
const edge = async (status?: 'failed') =>
  (await listTasksPage(db, { ...(status ? { status } : {}), page: 499 })).items.at(-1)!.id;
const edgeAll = await edge();
const edgeFailed = await edge('failed');

const fake = await startFakeBotApi();
const bot = spawn(process.execPath, [path.resolve(import.meta.dirname, '../src/main.ts')], {
  env: {
    PATH: process.env.PATH ?? '',
    ROLE: 'bot',
    DATABASE_URL: bench.url,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    SESSION_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    ...(process.env.BOT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BOT_NODE_OPTIONS } : {}),
    ...(process.env.BOT_UPDATE_CONCURRENCY
      ? { BOT_UPDATE_CONCURRENCY: process.env.BOT_UPDATE_CONCURRENCY }
      : {}),
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
await fake.waitForCall('getUpdates', (call) => Number(call.params.timeout) > 0, { timeout: 120_000 });

const chatIds = Array.from({ length: POOL }, (_, i) => 5001 + i);
const lastReply = new Map<number, number>();
let cursor = 0;
/** The next `n` chats of the pool, once each has had its gap since its last reply. */
async function nextChats(n: number, sendsEach = 1): Promise<number[]> {
  const picked = Array.from({ length: n }, (_, i) => chatIds[(cursor + i) % POOL]!);
  cursor = (cursor + n) % POOL;
  const ready = Math.max(nextRoundAt, ...picked.map((c) => (lastReply.get(c) ?? 0) + CHAT_GAP_MS));
  const wait = ready - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  nextRoundAt = performance.now() + spacingMs(n * sendsEach);
  return picked;
}
const user = (chat: number) => ({ id: chat, username: `user${chat - 5000}`, language_code: 'en' });
const listMessage = new Map<number, number>();

type Kind = { name: string; send: (chat: number, round: number) => void; reply: string };
const text = (name: string, make: (chat: number, round: number) => string): Kind => ({
  name,
  reply: 'sendMessage',
  send: (chat, round) => fake.sendText({ from: user(chat), text: make(chat, round) }),
});
const tap = (name: string, data: string): Kind => ({
  name,
  reply: 'editMessageText',
  send: (chat) => fake.tapButton({ from: user(chat), message_id: listMessage.get(chat)!, data }),
});
const kinds: Kind[] = [
  text('/list', () => '/list'),
  text('/list failed', () => '/list failed'),
  text('/list 500', () => '/list 500'),
  text('/list failed 500', () => '/list failed 500'),
  tap('▶ to page 500', `l:all:500:a${edgeAll}`),
  tap('▶ to page 500, failed', `l:failed:500:a${edgeFailed}`),
  text('/task <id>', (chat, round) => `/task ${1 + ((chat * 7919 + round * 104_729) % TASKS)}`),
];

/** CPU time (user + system, ms) of the bot's process and of everything else below this one. */
function cpu(): { bot: number; rest: number } {
  const procs = new Map<number, { ppid: number; ms: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      procs.set(Number(entry), {
        ppid: Number(fields[1]),
        ms: (Number(fields[11]) + Number(fields[12])) * 10,
      });
    } catch {}
  }
  const below = (root: number): number[] => {
    const out = [root];
    for (const [pid, p] of procs) if (p.ppid === root) out.push(...below(pid));
    return out;
  };
  const sum = (pids: number[]) => pids.reduce((a, pid) => a + (procs.get(pid)?.ms ?? 0), 0);
  const botPids = below(bot.pid!);
  const rest = below(process.pid).filter((pid) => !botPids.includes(pid));
  return { bot: sum(botPids), rest: sum(rest) };
}

/** One round: every chat sends at once; resolves with each chat's latency. */
async function round(kind: Kind, chats: number[], n: number): Promise<number[]> {
  const since = fake.callsSince(0).length;
  const sent = new Map<number, number>();
  for (const chat of chats) {
    kind.send(chat, n);
    sent.set(chat, fake.lastUpdate()!.update_id);
  }
  const replies = await fake.waitFor(
    () => {
      const found = new Map<number, number>();
      for (const call of fake.callsSince(since)) {
        const chat = Number(call.params.chat_id);
        if (call.method === kind.reply && sent.has(chat) && !found.has(chat)) found.set(chat, call.arrived);
      }
      return found.size === chats.length && found;
    },
    { timeout: 120_000, description: `${kind.name} replies` },
  );
  const at = performance.now();
  for (const chat of chats) lastReply.set(chat, at);
  return chats.map((chat) => replies.get(chat)! - fake.deliveredAt(sent.get(chat)!)!);
}

// Warm up (connections, plans) and leave a list message in every chat of the pool for the ▶ taps.
for (let i = 0; i < POOL; i += maxChats)
  await round(
    text('/list', () => '/list'),
    await nextChats(maxChats),
    0,
  );
for (const chat of chatIds) listMessage.set(chat, fake.messages(chat).at(-1)!.message_id);

// ONLY=text keeps the kinds whose name contains it.
const only = process.env.ONLY;
const results: {
  kind: string;
  chats: number;
  r: ReturnType<typeof summarize>;
  botCpu: number;
  restCpu: number;
}[] = [];
for (const chats of LEVELS) {
  for (const kind of kinds.filter((k) => !only || k.name.includes(only))) {
    const samples: number[] = [];
    const rounds = Math.ceil(SAMPLES / chats);
    const before = cpu();
    const sends = kind.reply === 'editMessageText' ? 2 : 1;
    for (let n = 0; n < rounds; n++) samples.push(...(await round(kind, await nextChats(chats, sends), n)));
    const after = cpu();
    const perUpdate = (ms: number) => ms / samples.length;
    results.push({
      kind: kind.name,
      chats,
      r: summarize(samples),
      botCpu: perUpdate(after.bot - before.bot),
      restCpu: perUpdate(after.rest - before.rest),
    });
  }
}
bot.kill('SIGTERM');
await new Promise((resolve) => bot.on('exit', resolve));
await fake.close();
await bench.close();

const fmt = (n: number) => n.toFixed(1);
console.error(
  `server: ${bench.server}; ${TASKS} tasks (${TASKS * 3} runs) seeded in ${seedSeconds.toFixed(1)} s; ` +
    `BOT_UPDATE_CONCURRENCY=${process.env.BOT_UPDATE_CONCURRENCY ?? 'default'}`,
);
console.error(
  '| command | chats at once | n | p50 ms | p95 ms | p99 ms | max ms | bot CPU ms/update | Postgres + fake CPU ms/update |',
);
console.error('|---|---|---|---|---|---|---|---|---|');
for (const { kind, chats, r, botCpu, restCpu } of results) {
  console.error(
    `| ${kind} | ${chats} | ${r.n} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${fmt(botCpu)} | ${fmt(restCpu)} |`,
  );
}
process.exit(0);
