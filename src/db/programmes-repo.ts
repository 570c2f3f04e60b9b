// Programme rows: the programme, its accounts (from/until a day) and its slots. Slots are inserted
// with ON CONFLICT DO NOTHING on their key; statuses change only through programme-moves-repo.ts
// (conditional updates), so any number of schedulers agree on every slot and on which one made its task.
import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { accounts, type ProgrammeRow, programmeAccounts, programmeSlots, programmes } from './schema.ts';
import { LIVE_PROGRAMME_STATUSES } from './vocabulary.ts';

export type NewProgramme = Omit<ProgrammeRow, 'id' | 'status' | 'updatedAt' | 'rampByPlatform'> & {
  rampByPlatform?: boolean;
};

/** Inserts the programme and its accounts; undefined when a live programme has that name. */
export async function insertProgramme(exec: Executor, row: NewProgramme, accountIds: readonly number[]) {
  const [programme] = await exec
    .insert(programmes)
    .values(row)
    .onConflictDoNothing() // the only unique key besides id: a live programme's name
    .returning();
  if (!programme) return undefined;
  await exec
    .insert(programmeAccounts)
    .values(accountIds.map((accountId) => ({ programmeId: programme.id, accountId })));
  return programme;
}

/** `forUpdate`: locked until the transaction ends (membership changes check, then write, under it). */
export async function findProgramme(exec: Executor, id: number, options: { forUpdate?: boolean } = {}) {
  const query = exec.select().from(programmes).where(eq(programmes.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** Programmes the scheduler looks after: running or paused. */
export async function listLiveProgrammes(exec: Executor) {
  return exec
    .select()
    .from(programmes)
    .where(inArray(programmes.status, [...LIVE_PROGRAMME_STATUSES]))
    .orderBy(asc(programmes.id));
}

/** The newest programmes, live ones first (for /plans). */
export async function listRecentProgrammes(exec: Executor, limit: number) {
  return exec
    .select()
    .from(programmes)
    .orderBy(sql`${inArray(programmes.status, [...LIVE_PROGRAMME_STATUSES])} desc`, desc(programmes.id))
    .limit(limit);
}

const takesPart = (day: number) =>
  and(
    lte(programmeAccounts.fromDay, day),
    or(isNull(programmeAccounts.untilDay), gt(programmeAccounts.untilDay, day)),
  );

/** The live accounts taking part on a day (fromDay ≤ day < untilDay), with their quarantine. */
export async function participantsOn(exec: Executor, programmeId: number, day: number) {
  return exec
    .select({
      accountId: accounts.id,
      username: accounts.username,
      quarantinedAt: accounts.quarantinedAt,
      platform: accounts.platform,
    })
    .from(programmeAccounts)
    .innerJoin(accounts, eq(accounts.id, programmeAccounts.accountId))
    .where(and(eq(programmeAccounts.programmeId, programmeId), isNull(accounts.removedAt), takesPart(day)))
    .orderBy(sql`lower(${accounts.username})`);
}

/** Every account ever in the programme and not removed since, with the days it takes part. */
export async function programmeMembers(exec: Executor, programmeId: number) {
  return exec
    .select({
      accountId: accounts.id,
      username: accounts.username,
      quarantinedAt: accounts.quarantinedAt,
      fromDay: programmeAccounts.fromDay,
      untilDay: programmeAccounts.untilDay,
    })
    .from(programmeAccounts)
    .innerJoin(accounts, eq(accounts.id, programmeAccounts.accountId))
    .where(and(eq(programmeAccounts.programmeId, programmeId), isNull(accounts.removedAt)))
    .orderBy(sql`lower(${accounts.username})`);
}

/** The live programmes the account is (or will be) part of, each with its row (a removal ends them). */
export async function liveMembershipsOf(exec: Executor, accountId: number) {
  return exec
    .select({
      programme: programmes,
      fromDay: programmeAccounts.fromDay,
      untilDay: programmeAccounts.untilDay,
    })
    .from(programmeAccounts)
    .innerJoin(programmes, eq(programmes.id, programmeAccounts.programmeId))
    .where(
      and(
        eq(programmeAccounts.accountId, accountId),
        inArray(programmes.status, [...LIVE_PROGRAMME_STATUSES]),
      ),
    )
    .orderBy(asc(programmes.id));
}

/** Adds the account from `fromDay`, or brings a removed one back from then (its past stays in its slots). */
export async function addMember(exec: Executor, programmeId: number, accountId: number, fromDay: number) {
  await exec
    .insert(programmeAccounts)
    .values({ programmeId, accountId, fromDay })
    .onConflictDoUpdate({
      target: [programmeAccounts.programmeId, programmeAccounts.accountId],
      set: { untilDay: null, fromDay },
      setWhere: sql`${programmeAccounts.untilDay} is not null`,
    });
}

/** Ends the account's part before `untilDay` (its slots from then on are the caller's to skip). */
export async function removeMember(exec: Executor, programmeId: number, accountId: number, untilDay: number) {
  await exec
    .update(programmeAccounts)
    .set({ untilDay: sql`least(coalesce(${programmeAccounts.untilDay}, ${untilDay}), ${untilDay})` })
    .where(and(eq(programmeAccounts.programmeId, programmeId), eq(programmeAccounts.accountId, accountId)));
}

export type NewSlot = {
  programmeId: number;
  accountId: number;
  day: number;
  seq: number;
  preset: string;
  dueAt: Date;
  windowEndsAt: Date;
};

/** The accounts that already have their slots of a day (a day's slots of one account go in together). */
export async function accountsPlannedOn(
  exec: Executor,
  programmeId: number,
  day: number,
): Promise<Set<number>> {
  const rows = await exec
    .select({ accountId: programmeSlots.accountId })
    .from(programmeSlots)
    .where(and(eq(programmeSlots.programmeId, programmeId), eq(programmeSlots.day, day)))
    .groupBy(programmeSlots.accountId);
  return new Set(rows.map((r) => r.accountId));
}

/** Inserts slots not there yet; returns how many were new. */
export async function insertSlots(exec: Executor, slots: readonly NewSlot[]): Promise<number> {
  if (slots.length === 0) return 0;
  const rows = await exec
    .insert(programmeSlots)
    .values([...slots])
    .onConflictDoNothing({
      target: [programmeSlots.programmeId, programmeSlots.accountId, programmeSlots.day, programmeSlots.seq],
    })
    .returning({ id: programmeSlots.id });
  return rows.length;
}

/** The last programme day with any slot drawn, 0 when none. */
export async function lastPlannedDay(exec: Executor, programmeId: number): Promise<number> {
  const [row] = await exec
    .select({ day: sql<number | null>`max(${programmeSlots.day})` })
    .from(programmeSlots)
    .where(eq(programmeSlots.programmeId, programmeId));
  return row?.day ?? 0;
}

/** Planned slots due by `now`, oldest first, with their account's quarantine. */
export async function dueSlots(exec: Executor, programmeId: number, now: Date) {
  return exec
    .select({ slot: programmeSlots, quarantinedAt: accounts.quarantinedAt })
    .from(programmeSlots)
    .innerJoin(accounts, eq(accounts.id, programmeSlots.accountId))
    .where(
      and(
        eq(programmeSlots.programmeId, programmeId),
        eq(programmeSlots.status, 'planned'),
        lte(programmeSlots.dueAt, now),
      ),
    )
    .orderBy(asc(programmeSlots.dueAt), asc(programmeSlots.id));
}

/** The task a created slot became (in the transaction that claimed it). */
export async function setSlotTask(exec: Executor, slotId: number, taskId: number) {
  await exec.update(programmeSlots).set({ taskId }).where(eq(programmeSlots.id, slotId));
}
