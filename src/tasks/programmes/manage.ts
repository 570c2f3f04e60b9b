// Programme use cases for the chat: create one from a validated spec (its accounts a selection:
// names, tags, platforms), pause, resume, stop, and add accounts to or remove one from the next
// programme day. Each is one transaction with its audit.
import { randomInt } from 'node:crypto';
import { findAccountsByUsernames } from '../../db/accounts-repo.ts';
import { recordAudit } from '../../db/audit-repo.ts';
import type { Db, Executor } from '../../db/client.ts';
import {
  moveMemberSlotsFrom,
  moveProgrammeRow,
  moveSlotsOfProgramme,
} from '../../db/programme-moves-repo.ts';
import {
  addMember,
  findProgramme,
  insertProgramme,
  programmeMembers,
  removeMember,
} from '../../db/programmes-repo.ts';
import type { ProgrammeRow } from '../../db/schema.ts';
import { resolveSelection, type SelectionOptions } from '../fleet/selection.ts';
import { programmeDayAt } from './calendar.ts';
import { MAX_ACCOUNTS, type ProgrammeSpec } from './spec.ts';
import { isLive, PROGRAMME_MOVES, type ProgrammeMoveName, SLOT_MOVES } from './states.ts';

/** What a selection named that the fleet does not have. */
export type Unknown = { names: string[]; tags: string[]; platforms: string[] };

export type CreateProgrammeResult =
  | { ok: true; programme: ProgrammeRow }
  | { ok: false; problem: 'unknownAccounts'; unknown: Unknown }
  | { ok: false; problem: 'noAccounts' }
  | { ok: false; problem: 'tooManyAccounts'; count: number; max: number }
  | { ok: false; problem: 'nameTaken' };

/** The accounts of a selection, or why there are none to use. */
async function chooseMembers(db: Db, tokens: readonly string[], options: SelectionOptions) {
  const resolved = await resolveSelection(db, tokens, options);
  if (!resolved.ok) return { ok: false, problem: 'noAccounts' } as const;
  const unknown = {
    names: resolved.unknownNames,
    tags: resolved.unknownTags,
    platforms: resolved.unknownPlatforms,
  };
  if (unknown.names.length + unknown.tags.length + unknown.platforms.length > 0)
    return { ok: false, problem: 'unknownAccounts', unknown } as const;
  if (resolved.accountIds.length === 0) return { ok: false, problem: 'noAccounts' } as const;
  return { ok: true, accountIds: resolved.accountIds } as const;
}

export async function createProgramme(
  db: Db,
  input: {
    spec: ProgrammeSpec;
    chatId: number | null;
    actorId: number;
    now: Date;
    seed?: number;
    /** How `platform:` and groups are read (the deployment's platforms). */
    selection?: SelectionOptions;
  },
): Promise<CreateProgrammeResult> {
  const { spec } = input;
  const members = await chooseMembers(db, spec.accounts, input.selection ?? {});
  if (!members.ok) return members;
  const ids = members.accountIds;
  if (ids.length > MAX_ACCOUNTS)
    return { ok: false, problem: 'tooManyAccounts', count: ids.length, max: MAX_ACCOUNTS };
  return db.transaction(async (tx) => {
    const programme = await insertProgramme(
      tx,
      {
        name: spec.name,
        ramp: spec.ramp,
        rampByPlatform: spec.rampByPlatform ?? false,
        windows: spec.windows,
        timeZone: spec.timeZone,
        sessionsMin: spec.sessions.min,
        sessionsMax: spec.sessions.max,
        minGapMinutes: spec.gapMinutes,
        startDate: spec.startDate,
        seed: input.seed ?? randomInt(0, 2 ** 31 - 1),
        chatId: input.chatId,
        createdBy: input.actorId,
        createdAt: input.now,
      },
      ids,
    );
    if (!programme) return { ok: false, problem: 'nameTaken' } as const;
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'programme.create',
      details: { programmeId: programme.id, accounts: ids.length, days: spec.ramp.length },
    });
    return { ok: true, programme } as const;
  });
}

/** The moves a person makes; `finish` is the scheduler's. */
export type ProgrammeMove = Exclude<ProgrammeMoveName, 'finish'>;

/**
 * Applies a move of states.ts's table: the programme's status, then its planned slots when the move
 * skips them. Undefined when the programme is not in a status the move starts from (or gone).
 */
export async function applyProgrammeMove(
  exec: Executor,
  input: { id: number; move: ProgrammeMoveName; now: Date },
): Promise<ProgrammeRow | undefined> {
  const move = PROGRAMME_MOVES[input.move];
  const row = await moveProgrammeRow(exec, input.id, move);
  if (row && move.plannedSlots !== 'keep') {
    await moveSlotsOfProgramme(exec, row.id, SLOT_MOVES.skip, { reason: move.plannedSlots, at: input.now });
  }
  return row;
}

/** Pause, resume or stop; undefined when the programme is not in a state that allows it (or gone). */
export async function moveProgramme(
  db: Db,
  input: { id: number; move: ProgrammeMove; actorId: number; now: Date },
): Promise<ProgrammeRow | undefined> {
  return db.transaction(async (tx) => {
    const row = await applyProgrammeMove(tx, input);
    if (!row) return undefined;
    await recordAudit(tx, {
      actorId: input.actorId,
      action: `programme.${input.move}`,
      details: { programmeId: row.id },
    });
    return row;
  });
}

export type MemberChange =
  | { ok: true; fromDay: number }
  | {
      ok: false;
      problem: 'notFound' | 'notLive' | 'unknownAccount' | 'already' | 'notMember' | 'lastAccount';
    };

/**
 * Adds or removes an account from the next programme day (day 1 when it has not begun). Checked and
 * written under the programme's row lock: two changes at once (or a stop) never pass each other.
 */
export async function changeMember(
  db: Db,
  input: { id: number; username: string; change: 'add' | 'remove'; actorId: number; now: Date },
): Promise<MemberChange> {
  const [account] = await findAccountsByUsernames(db, [input.username]);
  return db.transaction(async (tx): Promise<MemberChange> => {
    const programme = await findProgramme(tx, input.id, { forUpdate: true });
    if (!programme) return { ok: false, problem: 'notFound' };
    if (!isLive(programme.status)) return { ok: false, problem: 'notLive' };
    if (!account) return { ok: false, problem: 'unknownAccount' };
    const fromDay = Math.max(1, programmeDayAt(programme, input.now) + 1);
    const members = await programmeMembers(tx, programme.id);
    const member = members.find((m) => m.accountId === account.id);
    const active = (m: (typeof members)[number]) => m.untilDay === null || m.untilDay > fromDay;
    if (input.change === 'add' && member && active(member)) return { ok: false, problem: 'already' };
    if (input.change === 'remove') {
      if (!member || !active(member)) return { ok: false, problem: 'notMember' };
      if (members.filter(active).length === 1) return { ok: false, problem: 'lastAccount' };
    }
    if (input.change === 'add') await addMember(tx, programme.id, account.id, fromDay);
    else {
      await removeMember(tx, programme.id, account.id, fromDay);
      // No `at`: a removal's slots are settled on the database's clock, as they always were.
      await moveMemberSlotsFrom(tx, programme.id, account.id, fromDay, SLOT_MOVES.skip, {
        reason: 'removed',
      });
    }
    await recordAudit(tx, {
      actorId: input.actorId,
      action: `programme.${input.change}`,
      details: { programmeId: programme.id, accountId: account.id, fromDay },
    });
    return { ok: true, fromDay };
  });
}

export type MembersAdded =
  | { ok: true; fromDay: number; added: number; already: number }
  | { ok: false; problem: 'notFound' | 'notLive' | 'noAccounts' }
  | { ok: false; problem: 'unknownAccounts'; unknown: Unknown }
  | { ok: false; problem: 'tooManyAccounts'; count: number; max: number };

/** Adds the accounts of a selection (`add=tag:spring,alice`) from the next programme day. */
export async function addMembers(
  db: Db,
  input: { id: number; tokens: readonly string[]; actorId: number; now: Date; selection?: SelectionOptions },
): Promise<MembersAdded> {
  if (!(await findProgramme(db, input.id))) return { ok: false, problem: 'notFound' };
  const chosen = await chooseMembers(db, input.tokens, input.selection ?? {});
  if (!chosen.ok) return chosen;
  // Checked and written under the programme's row lock, as changeMember: the 200 hold however many
  // additions come at once, and a programme stopped meanwhile gains no one.
  return db.transaction(async (tx): Promise<MembersAdded> => {
    const programme = await findProgramme(tx, input.id, { forUpdate: true });
    if (!programme) return { ok: false, problem: 'notFound' };
    if (!isLive(programme.status)) return { ok: false, problem: 'notLive' };
    const fromDay = Math.max(1, programmeDayAt(programme, input.now) + 1);
    const members = await programmeMembers(tx, programme.id);
    const active = new Set(
      members.filter((m) => m.untilDay === null || m.untilDay > fromDay).map((m) => m.accountId),
    );
    const joining = chosen.accountIds.filter((id) => !active.has(id));
    const count = active.size + joining.length;
    if (count > MAX_ACCOUNTS) return { ok: false, problem: 'tooManyAccounts', count, max: MAX_ACCOUNTS };
    for (const accountId of joining) await addMember(tx, programme.id, accountId, fromDay);
    if (joining.length > 0)
      await recordAudit(tx, {
        actorId: input.actorId,
        action: 'programme.add',
        details: { programmeId: programme.id, accountIds: joining, fromDay },
      });
    return { ok: true, fromDay, added: joining.length, already: chosen.accountIds.length - joining.length };
  });
}
