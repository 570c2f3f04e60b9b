// Prometheus metrics, one prom-client registry per process: what the database holds (tasks and
// runs by status, queue depth and oldest ready job — read when scraped), what this process saw
// (run durations, notification lag, Telegram API calls and errors), its browser sessions, and Node's own.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/client.ts';
import { outboxBacklog } from '../db/outbox-repo.ts';
import { countByStatus } from '../db/stats-repo.ts';
import type { Boss } from '../jobs/boss.ts';
import { readQueueStats } from '../jobs/queue-stats.ts';
import type { Logger } from '../logger.ts';
import { STATUSES } from '../tasks/lifecycle.ts';
import { within } from './readiness.ts';

export type MetricSources = { db?: Db; boss?: Boss; activeSessions?: () => number };

export type Metrics = {
  /** The exposition text; database-backed series are read now (and left out when that fails). */
  render(): Promise<string>;
  contentType: string;
  attach(sources: MetricSources): void;
  runFinished(run: { status: string; startedAt: Date | null; completedAt: Date | null }): void;
  notificationDelivered(event: { at: string }): void;
  /** Every Bot API call, whichever Telegram object made it: "ok", the HTTP status, or "network". */
  telegramCall(method: string, outcome: string): void;
};

const SCRAPE_READ_TIMEOUT_MS = 3000;

type Registers = Registry[];

export function createMetrics(log: Logger): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const sources: MetricSources = {};
  const stored = defineStoredGauges(registers);
  const queues = defineQueueGauges(registers);
  defineSessionGauge(registers, sources);
  const seen = defineObservations(registers);

  async function readDatabase() {
    if (!sources.db) return;
    const counts = await countByStatus(sources.db);
    for (const status of STATUSES) {
      stored.tasks.set({ status }, counts.tasks[status] ?? 0);
      stored.runs.set({ status }, counts.runs[status] ?? 0);
    }
    const backlog = await outboxBacklog(sources.db);
    stored.outboxPending.set(backlog.pending);
    stored.outboxOldest.set(backlog.oldestSeconds);
  }

  async function readQueues() {
    if (!sources.boss) return;
    for (const q of await readQueueStats(sources.boss)) {
      queues.jobs.set({ queue: q.queue, state: 'ready' }, q.ready);
      queues.jobs.set({ queue: q.queue, state: 'deferred' }, q.deferred);
      queues.jobs.set({ queue: q.queue, state: 'active' }, q.active);
      queues.oldest.set({ queue: q.queue }, q.oldestReadySeconds);
    }
  }

  /** Fresh values, or none: a stale count would look true while the database is away. */
  async function refresh(read: () => Promise<void>, gauges: Gauge[]) {
    for (const gauge of gauges) gauge.reset();
    try {
      await within(read(), SCRAPE_READ_TIMEOUT_MS);
    } catch (err) {
      for (const gauge of gauges) gauge.reset();
      log.debug({ err }, 'metrics: could not read the database');
    }
  }

  return {
    contentType: registry.contentType,
    async render() {
      await Promise.all([
        refresh(readDatabase, Object.values(stored)),
        refresh(readQueues, Object.values(queues)),
      ]);
      return registry.metrics();
    },
    attach(more) {
      sources.db = more.db ?? sources.db;
      sources.boss = more.boss ?? sources.boss;
      sources.activeSessions = more.activeSessions ?? sources.activeSessions;
    },
    ...seen,
  };
}

/** What the database holds, read when scraped. */
function defineStoredGauges(registers: Registers) {
  return {
    tasks: new Gauge({ name: 'warmup_tasks', help: 'Tasks by status', labelNames: ['status'], registers }),
    runs: new Gauge({
      name: 'warmup_runs',
      help: 'Account runs by status',
      labelNames: ['status'],
      registers,
    }),
    outboxPending: new Gauge({
      name: 'warmup_notification_outbox_pending',
      help: 'Task events recorded for a chat and not yet delivered (or settled otherwise)',
      registers,
    }),
    outboxOldest: new Gauge({
      name: 'warmup_notification_outbox_oldest_seconds',
      help: 'How long the oldest undelivered outbox entry has waited',
      registers,
    }),
  };
}

/** pg-boss's queues, read when scraped. */
function defineQueueGauges(registers: Registers) {
  return {
    jobs: new Gauge({
      name: 'warmup_queue_jobs',
      help: 'Jobs per queue: ready (waiting for a worker), deferred (start time or retry ahead), active',
      labelNames: ['queue', 'state'],
      registers,
    }),
    oldest: new Gauge({
      name: 'warmup_queue_oldest_ready_seconds',
      help: 'How long the oldest ready job of the queue has waited for a worker',
      labelNames: ['queue'],
      registers,
    }),
  };
}

/** The browser sessions this process runs, asked of the workers when scraped. */
function defineSessionGauge(registers: Registers, sources: MetricSources) {
  new Gauge({
    name: 'warmup_browser_sessions_active',
    help: 'Browser sessions this worker process is running',
    registers,
    collect() {
      if (sources.activeSessions) this.set(sources.activeSessions());
    },
  });
}

/** What this process sees as it happens: runs it ended, notifications it delivered, its Bot API calls. */
function defineObservations(
  registers: Registers,
): Pick<Metrics, 'runFinished' | 'notificationDelivered' | 'telegramCall'> {
  const runDuration = new Histogram({
    name: 'warmup_run_duration_seconds',
    help: 'Account runs ended by this worker, from start to end',
    labelNames: ['status'],
    buckets: [30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600],
    registers,
  });
  const deliveryLag = new Histogram({
    name: 'warmup_notification_delivery_lag_seconds',
    help: 'From a task event to its message delivered in the chat',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
    registers,
  });
  const telegramCalls = new Counter({
    name: 'warmup_telegram_api_calls_total',
    help: 'Bot API calls (every HTTP attempt, retries included) by method and outcome ("ok", the HTTP status, or "network")',
    labelNames: ['method', 'outcome'],
    registers,
  });
  const telegramErrors = new Counter({
    name: 'warmup_telegram_api_errors_total',
    help: 'Failed Bot API calls by method and code (the HTTP status, or "network")',
    labelNames: ['method', 'code'],
    registers,
  });
  return {
    runFinished(run) {
      if (!run.startedAt || !run.completedAt) return;
      runDuration.observe(
        { status: run.status },
        (run.completedAt.getTime() - run.startedAt.getTime()) / 1000,
      );
    },
    notificationDelivered(event) {
      deliveryLag.observe(Math.max(0, (Date.now() - Date.parse(event.at)) / 1000));
    },
    telegramCall(method, outcome) {
      telegramCalls.inc({ method, outcome });
      if (outcome !== 'ok') telegramErrors.inc({ method, code: outcome });
    },
  };
}
