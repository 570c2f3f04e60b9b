// Creates and starts pg-boss in our database, in its own schema, with LISTEN/NOTIFY on so a queued
// run starts without waiting for a polling interval. Errors and warnings go to the log.
import { PgBoss } from 'pg-boss';
import type { Logger } from '../logger.ts';
import { createQueues, DEFAULT_TIMINGS, type QueueTimings } from './queues.ts';

export type BossOptions = {
  url: string;
  log: Logger;
  listenNotify?: boolean;
  /** How often pg-boss looks for stale heartbeats and expired jobs. */
  monitorIntervalSeconds?: number;
  timings?: Partial<QueueTimings>;
  /** Schedule the periodic reconciler (once per cluster, whoever holds the schedule). */
  schedule?: boolean;
  max?: number;
};

export type Boss = { boss: PgBoss; timings: QueueTimings };

export async function startBoss(options: BossOptions): Promise<Boss> {
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const boss = new PgBoss({
    connectionString: options.url,
    schema: 'pgboss',
    application_name: 'warmup-bot:pg-boss',
    max: options.max ?? 10,
    useListenNotify: options.listenNotify ?? true,
    monitorIntervalSeconds: options.monitorIntervalSeconds ?? 10,
    superviseIntervalSeconds: options.monitorIntervalSeconds ?? 10,
    openTelemetry: { enabled: false },
  });
  boss.on('error', (err) => options.log.error({ err }, 'pg-boss error'));
  boss.on('warning', (warning) => options.log.warn({ warning }, 'pg-boss warning'));
  await boss.start();
  await createQueues(boss, timings);
  if (options.schedule ?? true) await boss.schedule('reconcile', '* * * * *');
  return { boss, timings };
}
