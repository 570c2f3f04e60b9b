// The programme scheduler, one tick: plan today's and tomorrow's slots of every live programme
// (the same draw in every process, inserted once by key), then settle each slot that is due —
// skipped when its window has closed, its account is quarantined or the programme paused, else
// claimed and turned into an ordinary task in one transaction. `now` is an argument: tests drive it.
import type { Db } from '../../db/client.ts';
import { moveSlot } from '../../db/programme-moves-repo.ts';
import {
  accountsPlannedOn,
  dueSlots,
  insertSlots,
  lastPlannedDay,
  listLiveProgrammes,
  type NewSlot,
  participantsOn,
  setSlotTask,
} from '../../db/programmes-repo.ts';
import type { ProgrammeRow, ProgrammeSlotRow } from '../../db/schema.ts';
import type { Logger } from '../../logger.ts';
import { settingsBasis } from '../../warmup/platform-warmup.ts';
import { resolveSettings } from '../../warmup/settings.ts';
import { createTask } from '../create-task.ts';
import type { JobPort } from '../ports.ts';
import { programmeDayAt } from './calendar.ts';
import { applyProgrammeMove } from './manage.ts';
import { expandRamp, type RampPhase, scaleRamp } from './ramp.ts';
import { drawSlots } from './slots.ts';
import { dueSlotMove, type SkipReason, SLOT_MOVES } from './states.ts';

export type TickReport = {
  planned: number;
  created: number;
  skipped: Partial<Record<SkipReason, number>>;
  finished: number[];
};

export type TickDeps = {
  db: Db;
  jobs: JobPort;
  now: Date;
  log: Logger;
  /** A platform's own ramp (its site profile's warmup.ramp), for ramp=platform programmes. */
  rampOf?: (platform: string | null) => readonly RampPhase[] | undefined;
};

export async function tickProgrammes(deps: TickDeps): Promise<TickReport> {
  const report: TickReport = { planned: 0, created: 0, skipped: {}, finished: [] };
  for (const programme of await listLiveProgrammes(deps.db)) {
    try {
      await tickOne(deps, programme, report);
    } catch (err) {
      deps.log.error({ err, programmeId: programme.id }, 'programme tick failed');
    }
  }
  if (
    report.planned + report.created + report.finished.length > 0 ||
    Object.keys(report.skipped).length > 0
  ) {
    deps.log.info({ ...report }, 'programmes ticked');
  }
  return report;
}

async function tickOne(deps: TickDeps, programme: ProgrammeRow, report: TickReport) {
  const { db, now } = deps;
  const today = programmeDayAt(programme, now);
  // Today and tomorrow every time (an account added for tomorrow joins its draw); after an outage
  // of days, the days nobody planned too, so that their slots are recorded as missed.
  const from = Math.max(1, Math.min(today, (await lastPlannedDay(db, programme.id)) + 1));
  for (let day = from; day <= Math.min(today + 1, programme.ramp.length); day++) {
    report.planned += await planDay(db, programme, day, deps.rampOf);
  }
  for (const { slot, quarantinedAt } of await dueSlots(db, programme.id, now)) {
    const move = dueSlotMove({
      now,
      windowEndsAt: slot.windowEndsAt,
      quarantined: quarantinedAt !== null,
      programme: programme.status,
    });
    if (move.name === 'skip') {
      const { reason } = move;
      if (await moveSlot(db, slot.id, SLOT_MOVES.skip, { reason, at: now }))
        report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
      continue;
    }
    const created = await createSlotTask(deps, programme, slot).catch((err: unknown) => {
      // The slot stays planned: the next tick tries again, until its window closes.
      deps.log.error(
        { err, programmeId: programme.id, slotId: slot.id },
        'could not create the task of a slot',
      );
      return false;
    });
    if (created) report.created++;
  }
  if (
    today > programme.ramp.length &&
    (await applyProgrammeMove(db, { id: programme.id, move: 'finish', now }))
  ) {
    report.finished.push(programme.id);
  }
}

/** Claims the slot and creates its task in one transaction; false when another tick had it. */
async function createSlotTask(
  deps: TickDeps,
  programme: ProgrammeRow,
  slot: ProgrammeSlotRow,
): Promise<boolean> {
  const { now } = deps;
  return deps.db.transaction(async (tx) => {
    const claimed = await moveSlot(tx, slot.id, SLOT_MOVES.create, { at: now });
    if (!claimed) return false;
    const { task } = await createTask(tx, deps.jobs, {
      // Language-neutral: the chat may read Russian or English.
      name: `${programme.name} · ${slot.day}/${programme.ramp.length}`,
      settings: { ...resolveSettings(slot.preset), basis: settingsBasis(slot.preset) },
      accountIds: [slot.accountId],
      chatId: programme.chatId,
      actorId: null,
      programmeId: programme.id,
      programmeDay: slot.day,
    });
    await setSlotTask(tx, slot.id, task.id);
    return true;
  });
}

/** The days' presets an account follows: its platform's ramp scaled to the programme's, or the programme's. */
function rampFor(
  programme: ProgrammeRow,
  platform: string | null,
  rampOf: TickDeps['rampOf'],
): readonly string[] {
  const own = programme.rampByPlatform ? rampOf?.(platform) : undefined;
  return own ? expandRamp(scaleRamp(own, programme.ramp.length)) : programme.ramp;
}

/** Draws and inserts one day's slots of every participant; returns how many were new. */
async function planDay(
  db: Db,
  programme: ProgrammeRow,
  day: number,
  rampOf: TickDeps['rampOf'],
): Promise<number> {
  const planned = await accountsPlannedOn(db, programme.id, day);
  // Only accounts without their day yet: a conflicting insert would still use up sequence values.
  const participants = (await participantsOn(db, programme.id, day)).filter((p) => !planned.has(p.accountId));
  if (participants.length === 0) return 0;
  const slots: NewSlot[] = participants.flatMap(({ accountId, platform }) =>
    drawSlots({ ...programme, ramp: rampFor(programme, platform, rampOf) }, accountId, day)
      // A programme made in the afternoon does not owe the morning's sessions.
      .filter((s) => s.windowEndsAt.getTime() > programme.createdAt.getTime())
      .map((s) => ({ programmeId: programme.id, accountId, day, ...s })),
  );
  return insertSlots(db, slots);
}
