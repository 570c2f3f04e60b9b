// What the queues hold right now, for the metrics endpoint and the readiness check: jobs per queue
// that are ready, deferred (waiting for their start time or a retry) or active, and how long the
// oldest ready job has waited. One query over pg-boss's live-job index, through pg-boss's pool.
import { BOSS_SCHEMA, type Boss } from './boss.ts';

export type QueueStat = {
  queue: string;
  ready: number;
  deferred: number;
  active: number;
  oldestReadySeconds: number;
};

const STATS_SQL = `
  select q.name as queue,
    count(j.id) filter (where j.state < 'active' and j.start_after <= now())::int as ready,
    count(j.id) filter (where j.state < 'active' and j.start_after > now())::int as deferred,
    count(j.id) filter (where j.state = 'active')::int as active,
    coalesce(extract(epoch from now() - min(greatest(j.created_on, j.start_after))
      filter (where j.state < 'active' and j.start_after <= now())), 0)::float8 as "oldestReadySeconds"
  from ${BOSS_SCHEMA}.queue q
  left join ${BOSS_SCHEMA}.job j on j.name = q.name and j.state <= 'active'
  group by q.name
  order by q.name`;

export async function readQueueStats(boss: Boss): Promise<QueueStat[]> {
  const { rows } = await boss.boss.getDb().executeSql(STATS_SQL);
  return rows as QueueStat[];
}

/** pg-boss is started and its own connection pool reaches the database. */
export async function pingBoss(boss: Boss): Promise<void> {
  await boss.boss.getDb().executeSql('select 1');
}
