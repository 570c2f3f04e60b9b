// Applies a move of a programme or of its slots (src/tasks/programmes/states.ts) as one conditional
// UPDATE … WHERE status IN (from) RETURNING, as lifecycle-repo.ts does for tasks and runs: a move
// that lost a race (another scheduler, a second tap) changes nothing and returns no row.
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { accounts, type ProgrammeRow, type ProgrammeSlotRow, programmeSlots, programmes } from './schema.ts';
import type { ProgrammeStatus, SkipReason, SlotStatus } from './vocabulary.ts';

/** Structurally src/tasks/programmes/states.ts's programme move; db imports nothing of ours. */
export type ProgrammeMoveSpec = { readonly from: readonly ProgrammeStatus[]; readonly to: ProgrammeStatus };

/** Structurally src/tasks/programmes/states.ts's slot move. */
export type SlotMoveSpec = {
  readonly from: readonly SlotStatus[];
  readonly to: SlotStatus;
  readonly settledAt: 'now';
  readonly skipReason: 'set' | 'keep';
  readonly programmeIn?: readonly ProgrammeStatus[];
  readonly accountFree?: boolean;
};

/** `at`: the clock the caller runs on (omitted: the database's now()); `reason`: for a move that sets one. */
export type SlotMoveOptions = { at?: Date; reason?: SkipReason };

type MoveTable = typeof programmes | typeof programmeSlots;

/** The one conditional update every move goes through. */
async function applyMove<T extends MoveTable>(
  exec: Executor,
  table: T,
  move: { readonly from: readonly string[]; readonly to: string },
  where: SQL | undefined,
  changes: Record<string, unknown>,
): Promise<T['$inferSelect'][]> {
  // Cast: drizzle's update() does not accept a union of tables; both have a text status.
  const target = table as typeof programmes;
  const rows = await exec
    .update(target)
    .set({ ...changes, status: move.to as ProgrammeStatus })
    .where(and(inArray(target.status, [...move.from] as ProgrammeStatus[]), where))
    .returning();
  return rows as T['$inferSelect'][];
}

/** Every programme move stamps updated_at; undefined when the programme was not in one of `from`. */
export async function moveProgrammeRow(
  exec: Executor,
  programmeId: number,
  move: ProgrammeMoveSpec,
): Promise<ProgrammeRow | undefined> {
  const [row] = await applyMove(exec, programmes, move, eq(programmes.id, programmeId), {
    updatedAt: sql`now()`,
  });
  return row;
}

function slotChanges(move: SlotMoveSpec, options: SlotMoveOptions): Record<string, unknown> {
  if (move.skipReason === 'set' && !options.reason) throw new Error(`a move to ${move.to} needs its reason`);
  return {
    settledAt: options.at ?? sql`now()`,
    ...(move.skipReason === 'set' ? { skipReason: options.reason } : {}),
  };
}

/** What a slot move asks of the slot's programme and account, besides the slot's own status. */
function slotGuards(move: SlotMoveSpec): SQL[] {
  const guards: SQL[] = [];
  if (move.programmeIn) {
    guards.push(
      sql`exists (select 1 from ${programmes} where ${programmes.id} = ${programmeSlots.programmeId} and ${inArray(programmes.status, [...move.programmeIn])})`,
    );
  }
  if (move.accountFree) {
    guards.push(
      sql`not exists (select 1 from ${accounts} where ${accounts.id} = ${programmeSlots.accountId} and (${accounts.quarantinedAt} is not null or ${accounts.removedAt} is not null))`,
    );
  }
  return guards;
}

/**
 * One slot through a move; undefined when another scheduler moved it first, or the move's guards
 * (programme status, account quarantine) refuse it. The row lock makes a second scheduler wait and
 * then find nothing to move.
 */
export async function moveSlot(
  exec: Executor,
  slotId: number,
  move: SlotMoveSpec,
  options: SlotMoveOptions = {},
): Promise<ProgrammeSlotRow | undefined> {
  const where = and(eq(programmeSlots.id, slotId), ...slotGuards(move));
  const [row] = await applyMove(exec, programmeSlots, move, where, slotChanges(move, options));
  return row;
}

/** Every slot of the programme that the move applies to (a stopped programme's planned ones). */
export async function moveSlotsOfProgramme(
  exec: Executor,
  programmeId: number,
  move: SlotMoveSpec,
  options: SlotMoveOptions = {},
): Promise<ProgrammeSlotRow[]> {
  const where = and(eq(programmeSlots.programmeId, programmeId), ...slotGuards(move));
  return applyMove(exec, programmeSlots, move, where, slotChanges(move, options));
}

/** Every slot of the account, in any programme, that the move applies to (the account was removed). */
export async function moveSlotsOfAccount(
  exec: Executor,
  accountId: number,
  move: SlotMoveSpec,
  options: SlotMoveOptions = {},
): Promise<ProgrammeSlotRow[]> {
  const where = and(eq(programmeSlots.accountId, accountId), ...slotGuards(move));
  return applyMove(exec, programmeSlots, move, where, slotChanges(move, options));
}

/** The account's slots in the programme from `fromDay` on that the move applies to (it left the programme). */
export async function moveMemberSlotsFrom(
  exec: Executor,
  programmeId: number,
  accountId: number,
  fromDay: number,
  move: SlotMoveSpec,
  options: SlotMoveOptions = {},
): Promise<ProgrammeSlotRow[]> {
  const where = and(
    eq(programmeSlots.programmeId, programmeId),
    eq(programmeSlots.accountId, accountId),
    sql`${programmeSlots.day} >= ${fromDay}`,
    ...slotGuards(move),
  );
  return applyMove(exec, programmeSlots, move, where, slotChanges(move, options));
}
