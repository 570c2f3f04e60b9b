// The programme scheduler at fleet size: ACCOUNTS accounts in one 14-day programme with 2 sessions
// a day each, ticked with a driven clock against real pg-boss — the first tick (plans two days),
// a steady tick (nothing due), and the tick that turns a whole day's slots into tasks. Then the
// daily summary's chart: the first render in a process (loads ECharts, resvg and fonts) and later ones.
// Run: node bench/programme-tick.ts   (BENCH_DATABASE_URL=postgres://… to use a server)
import { count, isNotNull } from 'drizzle-orm';
import { chartSpec, renderChartPng } from '../src/bot/commands/summary/chart.ts';
import { buildSummaryData } from '../src/bot/commands/summary/summary-data.ts';
import { en } from '../src/bot/i18n/en.ts';
import { insertAccount } from '../src/db/accounts-repo.ts';
import { programmeSlots, tasks } from '../src/db/schema.ts';
import { startBoss } from '../src/jobs/boss.ts';
import { createTaskJobs } from '../src/jobs/task-jobs.ts';
import { createLogger } from '../src/logger.ts';
import { createProgramme } from '../src/tasks/programmes/manage.ts';
import { tickProgrammes } from '../src/tasks/programmes/scheduler.ts';
import { parseProgrammeSpec } from '../src/tasks/programmes/spec.ts';
import { benchDatabase, summarize } from './support.ts';

const ACCOUNTS = Number(process.env.ACCOUNTS ?? 200);
const STEADY_TICKS = 20;
const log = createLogger({ level: 'warn', format: 'json' });
const ms = (from: number) => performance.now() - from;

const bench = await benchDatabase();
const { db } = bench.database;
const boss = await startBoss({ url: bench.url, log, schedule: false });
const jobs = createTaskJobs(boss.boss);
try {
  const names: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const row = await insertAccount(db, { username: `tick${i}` });
    if (row) names.push(row.username);
  }
  const created = new Date('2027-03-01T08:00:00Z');
  const parsed = parseProgrammeSpec(
    `name=bench accounts=${names.join(',')} days=14 window=10:00-22:00 tz=UTC sessions=2 gap=60m start=2027-03-01`,
    { now: created, defaultTimeZone: 'UTC' },
  );
  if (!parsed.ok) throw new Error(`spec refused: ${JSON.stringify(parsed.problem)}`);
  const made = await createProgramme(db, {
    spec: parsed.spec,
    chatId: null,
    actorId: 1,
    now: created,
    seed: 7,
  });
  if (!made.ok) throw new Error(`programme refused: ${made.problem}`);

  let t = performance.now();
  const first = await tickProgrammes({ db, jobs, now: created, log });
  const firstMs = ms(t);

  const steady: number[] = [];
  for (let i = 0; i < STEADY_TICKS; i++) {
    t = performance.now();
    await tickProgrammes({ db, jobs, now: new Date(created.getTime() + 60_000 * (i + 1)), log });
    steady.push(ms(t));
  }

  // 21:59 on day 1: every slot of the day is due and its window still open.
  const late = new Date('2027-03-01T21:59:00Z');
  t = performance.now();
  const burst = await tickProgrammes({ db, jobs, now: late, log });
  const burstMs = ms(t);
  const [slots] = await db.select({ n: count() }).from(programmeSlots);
  const [taskCount] = await db.select({ n: count() }).from(tasks).where(isNotNull(tasks.programmeId));

  const data = buildSummaryData(
    Array.from({ length: 14 }, (_, i) => ({
      day: `2027-03-${String(i + 1).padStart(2, '0')}`,
      status: i % 3 ? ('completed' as const) : ('failed' as const),
      reason: i % 3 ? null : 'captcha',
      n: 40 + i,
      recent: i === 13,
    })),
    '2027-03-14',
    14,
  );
  const renders: number[] = [];
  for (let i = 0; i < 21; i++) {
    t = performance.now();
    const png = await renderChartPng(chartSpec(en, data), (err) => {
      throw err;
    });
    if (!png) throw new Error('no chart');
    renders.push(ms(t));
  }
  const [firstRender, ...later] = renders;
  const s = summarize(steady);
  const r = summarize(later);
  console.error(`server: ${bench.server}; ${ACCOUNTS} accounts, 2 sessions/day, 14 days`);
  console.error('| step | result | time |');
  console.error('|---|---|---|');
  console.error(`| first tick | ${first.planned} slots planned (days 1–2) | ${firstMs.toFixed(0)} ms |`);
  console.error(
    `| steady tick ×${STEADY_TICKS} | nothing due | mean ${s.mean.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms |`,
  );
  console.error(
    `| day-1 tick | ${burst.created} tasks created, ${JSON.stringify(burst.skipped)} skipped | ${burstMs.toFixed(0)} ms (${((burst.created / burstMs) * 1000).toFixed(0)} tasks/s) |`,
  );
  console.error(`| totals | ${slots?.n} slots, ${taskCount?.n} programme tasks | |`);
  console.error(`| chart, first render | 960×540 PNG | ${firstRender?.toFixed(0)} ms |`);
  console.error(`| chart, next 20 | | mean ${r.mean.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms |`);
} finally {
  await boss.boss.stop({ graceful: false, timeout: 1000 });
  await bench.close();
}
