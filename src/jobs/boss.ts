// Creates and starts pg-boss in our database, in its own schema, with LISTEN/NOTIFY on so a queued
// run starts without waiting for a polling interval. Errors and warnings go to the log; while the
// database is away, its stream of connection errors becomes one warning every 30 s.
import { PgBoss } from 'pg-boss';
import { isDatabaseUnavailable } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { PROGRAMME_TICK_CRON } from './programme-job.ts';
import { createQueues, DEFAULT_TIMINGS, QUEUES, type QueueTimings } from './queues.ts';
import { RETENTION_CRON } from './retention-job.ts';

export type BossOptions = {
  url: string;
  log: Logger;
  listenNotify?: boolean;
  /** How often pg-boss looks for stale heartbeats and expired jobs. */
  monitorIntervalSeconds?: number;
  timings?: Partial<QueueTimings>;
  /** Schedule the reconciler, daily retention and the programme tick (once per cluster, whoever holds the schedule). */
  schedule?: boolean;
  max?: number;
};

export type Boss = { boss: PgBoss; timings: QueueTimings };

export const BOSS_SCHEMA = 'pgboss';

export async function startBoss(options: BossOptions): Promise<Boss> {
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const boss = new PgBoss({
    connectionString: options.url,
    schema: BOSS_SCHEMA,
    application_name: 'warmup-bot:pg-boss',
    max: options.max ?? 10,
    useListenNotify: options.listenNotify ?? true,
    monitorIntervalSeconds: options.monitorIntervalSeconds ?? 10,
    superviseIntervalSeconds: options.monitorIntervalSeconds ?? 10,
    openTelemetry: { enabled: false },
  });
  boss.on('error', logBossError(options.log));
  boss.on('warning', (warning) => options.log.warn({ warning }, 'pg-boss warning'));
  await boss.start();
  await createQueues(boss, timings);
  if (options.schedule ?? true) {
    await boss.schedule(QUEUES.reconcile, '* * * * *');
    await boss.schedule(QUEUES.retention, RETENTION_CRON);
    await boss.schedule(QUEUES.programmes, PROGRAMME_TICK_CRON);
  }
  return { boss, timings };
}

/**
 * During a database restart every pg-boss loop (fetch, heartbeat, monitor) fails each time round
 * and recovers by itself once the server is back: say so once per 30 s, with how many were quiet.
 */
function logBossError(log: Logger, quietMs = 30_000) {
  let quietUntil = 0;
  let suppressed = 0;
  return (err: Error) => {
    if (!isDatabaseUnavailable(err)) return log.error({ err }, 'pg-boss error');
    if (Date.now() < quietUntil) {
      suppressed++;
      return;
    }
    log.warn({ err, suppressed }, 'pg-boss cannot reach the database; it keeps retrying');
    quietUntil = Date.now() + quietMs;
    suppressed = 0;
  };
}
