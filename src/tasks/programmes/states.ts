// The programme's state machine and its slots', as data: the statuses (declared in
// src/db/vocabulary.ts), the moves allowed from each and what each move sets. Pure, like
// ../lifecycle.ts; src/db/programme-moves-repo.ts applies a move as one conditional UPDATE.
import {
  LIVE_PROGRAMME_STATUSES,
  type ProgrammeStatus,
  type SkipReason,
  type SlotStatus,
} from '../../db/vocabulary.ts';

export {
  LIVE_PROGRAMME_STATUSES,
  PROGRAMME_STATUSES,
  type ProgrammeStatus,
  SKIP_REASONS,
  type SkipReason,
  SLOT_STATUSES,
  type SlotStatus,
} from '../../db/vocabulary.ts';

/**
 * A programme move: from which statuses, to which. Every move stamps updated_at; `plannedSlots`
 * says what becomes of the programme's slots not yet due: left planned, or skipped with that reason.
 */
export type ProgrammeMoveSpec = {
  readonly from: readonly ProgrammeStatus[];
  readonly to: ProgrammeStatus;
  readonly plannedSlots: 'keep' | SkipReason;
};

export const PROGRAMME_MOVES = {
  pause: { from: ['active'], to: 'paused', plannedSlots: 'keep' },
  resume: { from: ['paused'], to: 'active', plannedSlots: 'keep' },
  stop: { from: ['active', 'paused'], to: 'stopped', plannedSlots: 'stopped' },
  // The scheduler's, once the programme's last day is past (its due slots were settled first).
  finish: { from: ['active', 'paused'], to: 'finished', plannedSlots: 'keep' },
} as const satisfies Record<string, ProgrammeMoveSpec>;

export type ProgrammeMoveName = keyof typeof PROGRAMME_MOVES;

/**
 * A slot move. `settledAt: 'now'` stamps settled_at with the move's clock; `skipReason` writes the
 * move's reason or leaves the column alone; `programmeIn` and `accountFree` are what the move asks of
 * the slot's programme (its status) and account (neither quarantined nor removed), checked in the same UPDATE.
 */
export type SlotMoveSpec = {
  readonly from: readonly SlotStatus[];
  readonly to: SlotStatus;
  readonly settledAt: 'now';
  readonly skipReason: 'set' | 'keep';
  readonly programmeIn?: readonly ProgrammeStatus[];
  readonly accountFree?: boolean;
};

export const SLOT_MOVES = {
  // Claimed for its task, in the task's transaction: only while the programme runs and the account is
  // free (not quarantined, not removed).
  create: {
    from: ['planned'],
    to: 'created',
    settledAt: 'now',
    skipReason: 'keep',
    programmeIn: ['active'],
    accountFree: true,
  },
  skip: { from: ['planned'], to: 'skipped', settledAt: 'now', skipReason: 'set' },
} as const satisfies Record<string, SlotMoveSpec>;

export type SlotMoveName = keyof typeof SLOT_MOVES;

export function canMoveProgramme(name: ProgrammeMoveName, from: ProgrammeStatus): boolean {
  return (PROGRAMME_MOVES[name].from as readonly ProgrammeStatus[]).includes(from);
}

export function canMoveSlot(name: SlotMoveName, from: SlotStatus): boolean {
  return (SLOT_MOVES[name].from as readonly SlotStatus[]).includes(from);
}

/** Running or paused: the scheduler looks after it, and accounts can still join or leave. */
export function isLive(status: ProgrammeStatus): boolean {
  return (LIVE_PROGRAMME_STATUSES as readonly ProgrammeStatus[]).includes(status);
}

/** What the scheduler does with a planned slot that is due. */
export type DueSlotMove = { name: 'create' } | { name: 'skip'; reason: SkipReason };

/**
 * A due slot runs late until its window closes, then it is missed; a quarantined account or a
 * paused programme skips it; otherwise it becomes its task. In that order: a slot both missed and
 * quarantined counts as missed.
 */
export function dueSlotMove(input: {
  now: Date;
  windowEndsAt: Date;
  quarantined: boolean;
  programme: ProgrammeStatus;
}): DueSlotMove {
  if (input.now.getTime() > input.windowEndsAt.getTime()) return { name: 'skip', reason: 'missed' };
  if (input.quarantined) return { name: 'skip', reason: 'quarantined' };
  if (input.programme === 'paused') return { name: 'skip', reason: 'paused' };
  return { name: 'create' };
}
