// What /plans and /plan <id> show of programmes: slot counts per day by status and skip reason,
// the next planned session, and the health of their accounts.
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, min, or, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { accounts, programmeAccounts, programmeSlots } from './schema.ts';

/** Slots per (programme, day, status, reason). */
export async function slotCountsByDay(exec: Executor, programmeId: number) {
  return exec
    .select({
      day: programmeSlots.day,
      status: programmeSlots.status,
      reason: programmeSlots.skipReason,
      n: sql<number>`count(*)::int`,
    })
    .from(programmeSlots)
    .where(eq(programmeSlots.programmeId, programmeId))
    .groupBy(programmeSlots.day, programmeSlots.status, programmeSlots.skipReason)
    .orderBy(asc(programmeSlots.day));
}

/** The earliest planned slot after `now` (or due and waiting) of each programme. */
export async function nextSlots(exec: Executor, programmeIds: readonly number[]) {
  if (programmeIds.length === 0) return new Map<number, Date>();
  const rows = await exec
    .select({ programmeId: programmeSlots.programmeId, at: min(programmeSlots.dueAt) })
    .from(programmeSlots)
    .where(and(inArray(programmeSlots.programmeId, [...programmeIds]), eq(programmeSlots.status, 'planned')))
    .groupBy(programmeSlots.programmeId);
  return new Map(rows.filter((r) => r.at).map((r) => [r.programmeId, r.at as Date]));
}

/** Per programme: accounts taking part on each one's given day, and how many are quarantined. */
export async function memberHealth(exec: Executor, programmeId: number, day: number) {
  const [row] = await exec
    .select({
      total: sql<number>`count(*)::int`,
      quarantined: sql<number>`count(*) filter (where ${isNotNull(accounts.quarantinedAt)})::int`,
    })
    .from(programmeAccounts)
    .innerJoin(accounts, eq(accounts.id, programmeAccounts.accountId))
    .where(
      and(
        eq(programmeAccounts.programmeId, programmeId),
        isNull(accounts.removedAt),
        lte(programmeAccounts.fromDay, Math.max(day, 1)),
        or(isNull(programmeAccounts.untilDay), gt(programmeAccounts.untilDay, Math.max(day, 1))),
      ),
    );
  return { total: row?.total ?? 0, quarantined: row?.quarantined ?? 0 };
}
