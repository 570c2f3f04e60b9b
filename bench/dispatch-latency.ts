// Dispatch latency: from a restart's commit to the session handler being entered, over 200
// restarts, with LISTEN/NOTIFY on and off; then throughput of no-op sessions through the whole
// orchestration against raw pg-boss send/work on the same database.
// Run: node bench/dispatch-latency.ts   (BENCH_DATABASE_URL=postgres://… to use a server)
import { eq, sql } from 'drizzle-orm';
import { insertAccount } from '../src/db/accounts-repo.ts';
import { runs, tasks } from '../src/db/schema.ts';
import { startBoss } from '../src/jobs/boss.ts';
import type { SessionRunner } from '../src/jobs/session-runner.ts';
import { createTaskJobs } from '../src/jobs/task-jobs.ts';
import { startWorkers } from '../src/jobs/workers.ts';
import { createLogger } from '../src/logger.ts';
import { createTask } from '../src/tasks/create-task.ts';
import { restartTask } from '../src/tasks/restart-task.ts';
import { benchDatabase, summarize } from './support.ts';

const RESTARTS = Number(process.env.RESTARTS ?? 200);
const THROUGHPUT_JOBS = Number(process.env.THROUGHPUT_JOBS ?? 500);
const log = createLogger({ level: 'warn', format: 'json' });
const settings = { parallel: 1, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 };
const fmt = (ms: number) => ms.toFixed(1);

async function latency(listenNotify: boolean) {
  const bench = await benchDatabase();
  const { db } = bench.database;
  const boss = await startBoss({ url: bench.url, log, listenNotify, schedule: false });
  let entered: (() => void) | undefined;
  const runner: SessionRunner = async () => {
    entered?.();
    return { status: 'completed', counters: {}, cappedByTime: false };
  };
  const workers = await startWorkers({ boss, db, runner, log, concurrency: 2, secretsKey: undefined });
  const jobs = createTaskJobs(boss.boss);
  const account = await insertAccount(db, { username: `lat${listenNotify}` });
  const { task } = await createTask(db, jobs, {
    name: 'lat',
    settings,
    accountIds: [account!.id],
    chatId: null,
    actorId: null,
  });
  const waitDone = async () => {
    for (;;) {
      const [row] = await db.select({ s: tasks.status }).from(tasks).where(eq(tasks.id, task.id));
      if (row?.s === 'completed') return;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  await waitDone();
  const samples: number[] = [];
  for (let i = 0; i < RESTARTS; i++) {
    const reached = new Promise<number>((resolve) => {
      entered = () => resolve(performance.now());
    });
    const result = await restartTask(db, jobs, { taskId: task.id, scope: 'all', actorId: null });
    const committed = performance.now();
    if (!result.ok) throw new Error(`restart ${i} refused: ${JSON.stringify(result)}`);
    samples.push((await reached) - committed);
    await waitDone();
  }
  await workers.stop(0);
  await boss.boss.stop({ graceful: false, timeout: 1000 });
  await bench.close();
  return { server: bench.server, ...summarize(samples) };
}

async function throughput() {
  const bench = await benchDatabase();
  const { db } = bench.database;
  const boss = await startBoss({ url: bench.url, log, listenNotify: true, schedule: false });
  let done = 0;
  let allDone: () => void = () => {};
  const runner: SessionRunner = async () => {
    if (++done === THROUGHPUT_JOBS) allDone();
    return { status: 'completed', counters: {}, cappedByTime: false };
  };
  const workers = await startWorkers({ boss, db, runner, log, concurrency: 8, secretsKey: undefined });
  const jobs = createTaskJobs(boss.boss);
  const accountIds: number[] = [];
  for (let i = 0; i < THROUGHPUT_JOBS; i++)
    accountIds.push((await insertAccount(db, { username: `tp${i}` }))!.id);
  // One task per 4 accounts (parallel 4), so dispatch and the task lifecycle are exercised too.
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const started = performance.now();
  for (let i = 0; i < accountIds.length; i += 4) {
    await createTask(db, jobs, {
      name: `tp${i}`,
      settings: { ...settings, parallel: 4 },
      accountIds: accountIds.slice(i, i + 4),
      chatId: null,
      actorId: null,
    });
  }
  await finished;
  const orchestrated = THROUGHPUT_JOBS / ((performance.now() - started) / 1000);
  await workers.stop(0);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(runs)
    .where(eq(runs.status, 'completed'));
  if ((row?.n ?? 0) < THROUGHPUT_JOBS) throw new Error('not every run completed');

  await boss.boss.createQueue('raw-bench', { notify: true });
  let rawDone = 0;
  let rawAll: () => void = () => {};
  const rawFinished = new Promise<void>((resolve) => {
    rawAll = resolve;
  });
  await boss.boss.work('raw-bench', { localConcurrency: 8, pollingIntervalSeconds: 0.5 }, async () => {
    if (++rawDone === THROUGHPUT_JOBS) rawAll();
  });
  const rawStarted = performance.now();
  for (let i = 0; i < THROUGHPUT_JOBS; i++) await boss.boss.send('raw-bench', { i });
  await rawFinished;
  const raw = THROUGHPUT_JOBS / ((performance.now() - rawStarted) / 1000);
  await boss.boss.stop({ graceful: false, timeout: 1000 });
  await bench.close();
  return { orchestrated, raw };
}

const on = await latency(true);
const off = await latency(false);
const tp = await throughput();
console.error(`server: ${on.server}; ${RESTARTS} restarts each; ${THROUGHPUT_JOBS} jobs for throughput`);
console.error('| LISTEN/NOTIFY | n | mean ms | p50 ms | p95 ms | max ms |');
console.error('|---|---|---|---|---|---|');
for (const [label, r] of [
  ['on', on],
  ['off', off],
] as const) {
  console.error(`| ${label} | ${r.n} | ${fmt(r.mean)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.max)} |`);
}
console.error(
  `throughput: orchestrated no-op sessions ${tp.orchestrated.toFixed(1)}/s; raw pg-boss send/work ${tp.raw.toFixed(1)}/s`,
);
process.exit(0);
