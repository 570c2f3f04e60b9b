// The fleet through the bot: real telegraf (wired by wireBot, as main.ts does) against the fake Bot
// API on a fresh database. /accounts answered at 10 accounts and at 1 000 (pages 1…n, a health and a
// tag filter, typed and by ▶), and a 1 000-line /accounts_import — document to preview, Apply to the
// edited answer. A sample runs from the user's message (or tap) to the bot's reply arriving at the
// fake. The send throttle keeps order only (as the command tests'): the bot is measured, not
// Telegram's one-message-a-second pacing.
// Run: node bench/fleet-bot.ts   (LINES=1000 SAMPLES=60; BENCH_DATABASE_URL=postgres://… to use a server)
import { cpus } from 'node:os';
import { insertAccount } from '../src/db/accounts-repo.ts';
import { buttonsOf, startChatBot } from '../test/support/chat-bot.ts';
import type { TestDatabase } from '../test/support/db.ts';
import { benchDatabase, summarize } from './support.ts';

const LINES = Number(process.env.LINES ?? 1000);
const SAMPLES = Number(process.env.SAMPLES ?? 60);
const admin = { id: 1001, username: 'anna', language_code: 'en', first_name: 'Anna' };
const viewers = Array.from({ length: 40 }, (_, i) => ({
  id: 7001 + i,
  username: `v${i}`,
  language_code: 'en',
}));

const bench = await benchDatabase();
const database = { ...bench.database, url: bench.url, name: '', drop: async () => {} } as TestDatabase;
const bot = await startChatBot(database, { adminIds: [admin.id, ...viewers.map((v) => v.id)] });
const { fake } = bot;

/** Milliseconds from sending `text` to the reply's arrival at the fake. */
async function timeCommand(from: (typeof viewers)[number], text: string): Promise<number> {
  const before = fake.messages(from.id).length;
  const t = performance.now();
  fake.sendText({ from, text });
  await fake.waitFor(() => fake.messages(from.id)[before], { timeout: 30_000 });
  return performance.now() - t;
}

/** Milliseconds from a tap to the edit of its message. */
async function timeTap(from: (typeof viewers)[number], data: string, messageId: number): Promise<number> {
  const since = fake.calls().length;
  const t = performance.now();
  fake.tapButton({ from, message_id: messageId, data });
  await fake.waitForCall('editMessageText', () => true, { since, timeout: 30_000 });
  return performance.now() - t;
}

/** The send throttle keeps 100 ms between two sends to one chat: a tap right after a reply would wait for it. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 150));

/** SAMPLES answers of /accounts (after a few not counted): typed pages in turn (a third filtered), and ▶ taps. */
async function accountsTimes(pages: number) {
  for (const who of viewers.slice(0, 5)) await timeCommand(who, '/accounts');
  const typed: number[] = [];
  const tapped: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const who = viewers[i % viewers.length]!;
    const page = 1 + (i % pages);
    const filter = i % 3 === 1 ? ' tag:batch3' : i % 3 === 2 ? ' unknown' : '';
    typed.push(await timeCommand(who, `/accounts${filter} ${page}`));
    const next = buttonsOf(fake.messages(who.id).at(-1)).find(([label]) => label === '▶')?.[1];
    if (!next) continue;
    await pause();
    tapped.push(await timeTap(who, next, fake.messages(who.id).at(-1)!.message_id));
  }
  return { typed: summarize(typed), tapped: summarize(tapped) };
}

function importFile(lines: number): string {
  const body = Array.from({ length: lines }, (_, i) => {
    const proxy =
      i % 2
        ? `p${i}.example.net:8000:user${i}:pw-${i}-secret`
        : `http://user${i}:pw${i}@p${i}.example.net:8000`;
    return `bench${i},${proxy},"batch${i % 10},${i % 3 ? 'us' : 'eu'}"`;
  });
  return ['username,proxy,tags', ...body].join('\n');
}

try {
  for (let i = 0; i < 10; i++) await insertAccount(bench.database.db, { username: `small${i}` });
  const small = await accountsTimes(1);

  const file = importFile(LINES);
  const before = fake.messages(admin.id).length;
  const t = performance.now();
  fake.sendDocument({ from: admin, fileName: 'fleet.csv', content: file, caption: '/accounts_import' });
  const preview = await fake.waitFor(() => fake.messages(admin.id)[before], { timeout: 60_000 });
  const previewMs = performance.now() - t;
  await pause();
  const applyMs = await timeTap(admin, 'fi:a', preview.message_id);
  const applied = String(fake.message(admin.id, preview.message_id)?.text);

  const large = await accountsTimes(Math.ceil((LINES + 10) / 20));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const line = (step: string, result: string, time: string) =>
    console.error(`| ${step} | ${result} | ${time} |`);
  const fmt = (s: ReturnType<typeof summarize>) =>
    `mean ${s.mean.toFixed(1)} ms, p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms`;
  console.error(`server: ${bench.server}; ${cpus().length} × ${cpu}; node ${process.version}`);
  console.error('| step | result | time |');
  console.error('|---|---|---|');
  line(
    `/accounts typed, 10 accounts ×${small.typed.n}`,
    'page 1, a third tag-, a third health-filtered',
    fmt(small.typed),
  );
  line(
    `/accounts ▶, 10 accounts ×${small.tapped.n}`,
    'one page: no ▶',
    small.tapped.n ? fmt(small.tapped) : '—',
  );
  line(
    `/accounts_import ${LINES} lines: preview`,
    String(preview.text).split('\n')[1] ?? '',
    `${previewMs.toFixed(0)} ms`,
  );
  line(`/accounts_import ${LINES} lines: Apply`, applied, `${applyMs.toFixed(0)} ms`);
  line(
    `/accounts typed, ${LINES + 10} accounts ×${large.typed.n}`,
    'pages 1…n, a third tag-, a third health-filtered',
    fmt(large.typed),
  );
  line(
    `/accounts ▶, ${LINES + 10} accounts ×${large.tapped.n}`,
    'the next page by its button',
    fmt(large.tapped),
  );
} finally {
  await bot.stop();
  await bench.close();
}
