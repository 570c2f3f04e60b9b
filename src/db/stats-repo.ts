// Counts for the metrics endpoint: tasks and runs by status, in one cheap round trip.
import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';

export type StatusCounts = { tasks: Record<string, number>; runs: Record<string, number> };

export async function countByStatus(exec: Executor): Promise<StatusCounts> {
  const rows = await exec.execute<{ kind: 'tasks' | 'runs'; status: string; n: number }>(sql`
    select 'tasks' as kind, status, count(*)::int as n from tasks group by status
    union all
    select 'runs' as kind, status, count(*)::int as n from runs group by status`);
  const counts: StatusCounts = { tasks: {}, runs: {} };
  for (const row of rows) counts[row.kind][row.status] = row.n;
  return counts;
}
