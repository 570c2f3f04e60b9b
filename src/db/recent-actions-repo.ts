// What an account did in its sessions of the last hours (likes, follows, comments of its finished
// runs): the count a platform's daily caps are measured against.
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { runs } from './schema.ts';

export type RecentActions = { likes: number; follows: number; comments: number };

/** Sums the counters of the account's runs that ended within the last `hours` (24 by default). */
export async function countRecentActions(
  exec: Executor,
  accountId: number,
  hours = 24,
): Promise<RecentActions> {
  const sum = (key: string) => sql<number>`coalesce(sum((${runs.counters}->>${key})::int), 0)::int`;
  const [row] = await exec
    .select({ likes: sum('likes'), follows: sum('follows'), comments: sum('comments') })
    .from(runs)
    .where(
      and(
        eq(runs.accountId, accountId),
        inArray(runs.status, ['completed', 'failed', 'cancelled']),
        gt(runs.completedAt, sql`now() - make_interval(hours => ${hours})`),
      ),
    );
  return { likes: row?.likes ?? 0, follows: row?.follows ?? 0, comments: row?.comments ?? 0 };
}
