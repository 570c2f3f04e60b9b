// What the daily summary and /stats read: finished sessions counted per local day, status and
// reason (one query, so the chart and the text agree), accounts that need a person, programmes'
// skipped slots. The programmes themselves are programmes-repo's listLiveProgrammes, as the scheduler's.
import { and, asc, eq, gte, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { accounts, programmeSlots, runs } from './schema.ts';

/**
 * Finished sessions of one local day (in the asked zone), status, reason and the account's
 * platform (null: the default); `recent`: within the last 24 h.
 */
export type RunCountRow = {
  day: string;
  recent: boolean;
  status: 'completed' | 'failed';
  reason: string | null;
  platform?: string | null;
  n: number;
};

/** Sessions finished since `since`, counted per local day in `timeZone`, status, reason and recency. */
export async function countFinishedRuns(
  exec: Executor,
  input: { since: Date; recentSince: Date; timeZone: string },
): Promise<RunCountRow[]> {
  const day = sql<string>`to_char(${runs.completedAt} at time zone ${input.timeZone}, 'YYYY-MM-DD')`;
  const recent = sql<boolean>`${runs.completedAt} >= ${input.recentSince.toISOString()}::timestamptz`;
  const reason = sql<string | null>`case when ${runs.status} = 'failed' then ${runs.reasonCode} end`;
  const rows = await exec
    .select({
      day,
      recent,
      status: runs.status,
      reason,
      platform: accounts.platform,
      n: sql<number>`count(*)::int`,
    })
    .from(runs)
    .innerJoin(accounts, eq(accounts.id, runs.accountId))
    .where(
      and(
        inArray(runs.status, ['completed', 'failed']),
        sql`${runs.completedAt} >= ${input.since.toISOString()}::timestamptz`,
      ),
    )
    // By position: the zone and the instant are parameters, so the expressions would not match.
    .groupBy(sql`1, 2, 3, 4, 5`)
    .orderBy(sql`1`);
  return rows as RunCountRow[];
}

const UNHEALTHY = ['logged_out', 'captcha', 'blocked', 'proxy_error'] as const;

/** Live accounts that are quarantined or unhealthy, by name. */
export async function accountsNeedingAttention(exec: Executor) {
  return exec
    .select({
      id: accounts.id,
      username: accounts.username,
      health: accounts.health,
      quarantinedAt: accounts.quarantinedAt,
      quarantineReason: accounts.quarantineReason,
    })
    .from(accounts)
    .where(
      and(
        isNull(accounts.removedAt),
        or(isNotNull(accounts.quarantinedAt), inArray(accounts.health, [...UNHEALTHY])),
      ),
    )
    .orderBy(asc(accounts.username));
}

/** Programme slots skipped since `since` (settled then), per programme and skip reason. */
export async function skippedSlotsSince(exec: Executor, since: Date) {
  return exec
    .select({
      programmeId: programmeSlots.programmeId,
      reason: programmeSlots.skipReason,
      n: sql<number>`count(*)::int`,
    })
    .from(programmeSlots)
    .where(and(eq(programmeSlots.status, 'skipped'), gte(programmeSlots.settledAt, since)))
    .groupBy(programmeSlots.programmeId, programmeSlots.skipReason);
}
