// A Postgres restart under a running bot and workers, all in this process (so sessions can be
// steered to end exactly during the outage): a command sent meanwhile waits with Telegram (the
// inbox cannot store it) and is answered once the database is back, /readyz goes 503 and back, the
// task completes with one notification and no session run twice; then /metrics.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runs, tasks } from '../../src/db/schema.ts';
import { createMetrics } from '../../src/http/metrics.ts';
import { type OpsServer, startOpsServer } from '../../src/http/server.ts';
import { QUEUES } from '../../src/jobs/queues.ts';
import { createTaskJobs } from '../../src/jobs/task-jobs.ts';
import { createTask } from '../../src/tasks/create-task.ts';
import { resolveSettings } from '../../src/warmup/settings.ts';
import { type BotHarness, people, startBotHarness } from '../support/bot.ts';
import { makeAccounts } from '../support/fixtures.ts';
import { steeredRunner, testLog } from '../support/jobs.ts';
import { parsePrometheus, seriesValue } from '../support/prometheus.ts';
import { type RestartablePostgres, startRestartablePostgres } from '../support/restartable-postgres.ts';

const UNAVAILABLE = 'The database is not reachable right now. Try again in a moment.';
let pg: RestartablePostgres;
let h: BotHarness;
let ops: OpsServer;
const steered = steeredRunner();
const metrics = createMetrics(testLog);

beforeAll(async () => {
  pg = await startRestartablePostgres();
  h = await startBotHarness(pg.database, { runner: steered.runner, metrics });
  ops = await startOpsServer({ host: '127.0.0.1', port: 0, log: testLog, metrics });
  ops.attach({ database: pg.database, boss: h.boss, workers: h.workers, telegram: h.telegram });
  ops.setPhase('running');
}, 120_000);
afterAll(async () => {
  steered.release();
  await ops?.close();
  await h?.stop();
  await pg?.close();
});

async function readyz() {
  const res = await fetch(`${ops.url}/readyz`);
  const body = (await res.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
  return { status: res.status, ...body };
}

const NOTIFY_CHAT = -100_777;

async function ask(text: string): Promise<string> {
  const before = h.fake.messages(people.operator.id).length;
  h.fake.sendText({ from: people.operator, text });
  const reply = await h.fake.waitFor(() => h.fake.messages(people.operator.id)[before], {
    description: `a reply to ${text}`,
  });
  return String(reply.text);
}

/** How many getUpdates answers handed this update to the bot. */
const handedOver = (updateId: number) =>
  h.fake
    .calls('getUpdates')
    .filter((call) =>
      ((call.response as { result?: { update_id: number }[] } | undefined)?.result ?? []).some(
        (update) => update.update_id === updateId,
      ),
    ).length;

const db = () => pg.database.db;
const queuedNotifications = async () => {
  const [row] = await db().execute<{ n: number }>(
    sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.notify} and state <= 'active'`,
  );
  return row!.n;
};

const create = async (name: string, accountIds: number[]) =>
  (
    await createTask(
      db(),
      createTaskJobs(h.boss.boss, () => 0),
      {
        name,
        settings: resolveSettings(undefined, { parallel: 2, delaySeconds: { min: 0, max: 0 } }),
        accountIds,
        // Notifications go to a group, so they never interleave with command replies in ask().
        chatId: NOTIFY_CHAT,
        actorId: people.operator.id,
      },
    )
  ).task;

const waitForCompleted = (taskId: number) =>
  vi.waitFor(
    async () => {
      const [row] = await db().select().from(tasks).where(eq(tasks.id, taskId));
      expect(row!.status).toBe('completed');
    },
    { timeout: 30_000, interval: 250 },
  );

it('rides through a database restart: a command waits for it, 503 and back, work resumes, nothing twice', async () => {
  const accounts = await makeAccounts(db(), 2, 'restart');
  const task = await create('through a restart', accounts);
  await steered.waitFor(() => steered.openSessions().length === 2);
  const [first, second] = steered.openSessions() as [string, string];
  // Queued behind the first: the same accounts are busy, so its jobs wait through the outage.
  const queued = await create('queued behind it', accounts);
  // Let the start notifications go out first: a delivery cut by the outage is retried, later.
  await vi.waitFor(async () => expect(await queuedNotifications()).toBe(0), { timeout: 20_000 });
  const during = parsePrometheus(await (await fetch(`${ops.url}/metrics`)).text());
  expect(seriesValue(during, 'warmup_browser_sessions_active')).toBe(2);
  expect(seriesValue(during, 'warmup_queue_jobs', { queue: QUEUES.session, state: 'active' })).toBe(2);
  expect(seriesValue(during, 'warmup_queue_jobs', { queue: QUEUES.session, state: 'ready' })).toBe(2);
  expect((await readyz()).status).toBe(200);

  await pg.stop();
  const down = await readyz();
  expect(down.status).toBe(503);
  expect(down.checks.database?.ok).toBe(false);
  expect(down.checks.pgboss?.ok).toBe(false);
  expect(down.checks.bot?.ok).toBe(true);
  // The intake stores an update before it handles it (and confirms it to Telegram only once
  // stored): with the database away it answers nothing, and getUpdates hands the update over again.
  const chat = people.operator.id;
  const before = h.fake.messages(chat).length;
  const { update_id: asked } = h.fake.sendText({ from: people.operator, text: `/task ${task.id}` });
  await h.fake.waitFor(() => handedOver(asked) >= 2, { description: 'the update fetched again, unstored' });
  expect(h.fake.messages(chat).length).toBe(before);
  // This session ends while the database is away: its end must be recorded once it is back.
  steered.release(first);
  await steered.waitFor(() => steered.openSessions().length === 1);

  await pg.start();
  await vi.waitFor(async () => expect((await readyz()).status).toBe(200), { timeout: 30_000, interval: 250 });
  // The command sent during the outage is answered now, once, with the real answer.
  const late = await h.fake.waitFor(() => h.fake.messages(chat)[before], {
    timeout: 30_000,
    description: 'the answer to the command sent during the outage',
  });
  expect(String(late.text)).toContain(`#${task.id}`);
  expect(String(late.text)).not.toBe(UNAVAILABLE);
  await vi.waitFor(
    async () => {
      const rows = await db().select().from(runs).where(eq(runs.taskId, task.id));
      expect(rows.filter((r) => r.status === 'completed')).toHaveLength(1);
    },
    { timeout: 30_000, interval: 250 },
  );
  steered.release(second);
  await waitForCompleted(task.id);
  const reply = await ask(`/task ${task.id}`);
  expect(reply).toContain(`#${task.id}`);
  expect(reply).not.toBe(UNAVAILABLE);

  // The queued task's sessions start now that the accounts are free.
  await steered.waitFor(() => steered.openSessions().length === 2);
  steered.release();
  await waitForCompleted(queued.id);

  // Nothing twice: each account had one session per task, and each task one completion message.
  expect([...steered.stats.started].sort()).toEqual([first, first, second, second].sort());
  await vi.waitFor(async () => expect(await queuedNotifications()).toBe(0), { timeout: 20_000 });
  const terminal = await db().execute<{ taskId: number; n: number }>(
    sql`select (data->>'taskId')::int as "taskId", count(*)::int as n from pgboss.job
        where name = ${QUEUES.notify} and data->>'type' = 'completed' group by 1 order by 1`,
  );
  expect([...terminal]).toEqual([
    { taskId: task.id, n: 1 },
    { taskId: queued.id, n: 1 },
  ]);
}, 120_000);

it('/metrics parses strictly and carries every series', async () => {
  // One failed long poll, so the Telegram error counter has a series to show.
  h.fake.failNext('getUpdates', { status: 502, retryAfter: 1 });
  expect(await ask('/help')).toContain('/list');
  await vi.waitFor(() => expect(h.fake.calls('getUpdates').length).toBeGreaterThan(0));
  const text = await vi.waitFor(
    async () => {
      const body = await (await fetch(`${ops.url}/metrics`)).text();
      expect(body).toContain('warmup_telegram_api_errors_total{method="getUpdates",code="502"} 1');
      // The first test's notifications go to a group, at most one per 3 s: wait until they all left.
      expect(body).toContain('warmup_notification_outbox_pending 0');
      return body;
    },
    { timeout: 30_000, interval: 200 },
  );
  const m = parsePrometheus(text);
  expect(m.get('warmup_tasks')?.type).toBe('gauge');
  expect(seriesValue(m, 'warmup_tasks', { status: 'completed' })).toBe(2);
  expect(seriesValue(m, 'warmup_runs', { status: 'completed' })).toBe(4);
  expect(seriesValue(m, 'warmup_runs', { status: 'running' })).toBe(0);
  expect(seriesValue(m, 'warmup_queue_jobs', { queue: QUEUES.session, state: 'ready' })).toBe(0);
  expect(seriesValue(m, 'warmup_queue_oldest_ready_seconds', { queue: QUEUES.session })).toBe(0);
  expect(seriesValue(m, 'warmup_browser_sessions_active')).toBe(0);
  expect(m.get('warmup_run_duration_seconds')?.type).toBe('histogram');
  expect(seriesValue(m, 'warmup_run_duration_seconds_count', { status: 'completed' })).toBe(4);
  // Both completions at least; a start still waiting when its task ended is superseded, not sent.
  expect(seriesValue(m, 'warmup_notification_delivery_lag_seconds_count')).toBeGreaterThanOrEqual(2);
  expect(m.get('warmup_telegram_api_errors_total')?.type).toBe('counter');
  expect(
    seriesValue(m, 'warmup_telegram_api_calls_total', { method: 'sendMessage', outcome: 'ok' }),
  ).toBeGreaterThan(0);
  expect(seriesValue(m, 'warmup_notification_outbox_pending')).toBe(0);
  expect(m.get('warmup_notification_outbox_oldest_seconds')?.type).toBe('gauge');
  expect(seriesValue(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  expect(seriesValue(m, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
});
