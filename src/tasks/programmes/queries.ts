// What the chat shows of programmes: the list with day, next session and health, and one
// programme's next days (drawn ahead, the same draw the scheduler will make) and its history.
import type { Db } from '../../db/client.ts';
import { memberHealth, nextSlots, slotCountsByDay } from '../../db/programme-stats-repo.ts';
import { listRecentProgrammes, programmeMembers } from '../../db/programmes-repo.ts';
import type { ProgrammeRow } from '../../db/schema.ts';
import { dateOfProgrammeDay, programmeDayAt } from './calendar.ts';
import { type DrawnSlot, drawSlots } from './slots.ts';
import { isLive } from './states.ts';

export type ProgrammeOverview = {
  programme: ProgrammeRow;
  day: number;
  accounts: number;
  quarantined: number;
  nextAt: Date | undefined;
};

export const LIST_LIMIT = 10;

export async function listProgrammeOverviews(db: Db, now: Date): Promise<ProgrammeOverview[]> {
  const rows = await listRecentProgrammes(db, LIST_LIMIT);
  const next = await nextSlots(
    db,
    rows.map((p) => p.id),
  );
  const out: ProgrammeOverview[] = [];
  for (const programme of rows) {
    const day = programmeDayAt(programme, now);
    const health = await memberHealth(db, programme.id, Math.min(day, programme.ramp.length));
    const live = isLive(programme.status);
    out.push({
      programme,
      day,
      accounts: health.total,
      quarantined: health.quarantined,
      nextAt: live ? (next.get(programme.id) ?? (await drawnAhead(db, programme, now))[0]?.dueAt) : undefined,
    });
  }
  return out;
}

type Member = Awaited<ReturnType<typeof programmeMembers>>[number];
const takesPart = (m: Member, day: number) => m.fromDay <= day && (m.untilDay === null || m.untilDay > day);

/** The slots drawn for one day, for the accounts taking part that day, in time order. */
function drawnOn(programme: ProgrammeRow, members: readonly Member[], day: number): DrawnSlot[] {
  return members
    .filter((m) => takesPart(m, day))
    .flatMap((m) => drawSlots(programme, m.accountId, day))
    .filter((s) => s.windowEndsAt.getTime() > programme.createdAt.getTime())
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** Sessions still to come on the next programme days (at most a week ahead), as drawn. */
export async function drawnAhead(db: Db, programme: ProgrammeRow, now: Date): Promise<DrawnSlot[]> {
  const members = await programmeMembers(db, programme.id);
  const today = Math.max(1, programmeDayAt(programme, now));
  for (let day = today; day <= Math.min(programme.ramp.length, today + 7); day++) {
    const slots = drawnOn(programme, members, day).filter((s) => s.dueAt.getTime() > now.getTime());
    if (slots.length > 0) return slots;
  }
  return [];
}

export type CalendarDay = {
  day: number;
  date: string;
  preset: string;
  planned: number;
  created: number;
  skipped: Record<string, number>;
};

export type ProgrammeCalendarView = {
  day: number;
  upcoming: CalendarDay[];
  history: CalendarDay[];
  members: { username: string; quarantined: boolean; fromDay: number; untilDay: number | null }[];
};

/** The next three days (today first) and every past day, from the slots and the draw. */
export async function programmeCalendar(
  db: Db,
  programme: ProgrammeRow,
  now: Date,
): Promise<ProgrammeCalendarView> {
  const members = await programmeMembers(db, programme.id);
  const counts = await slotCountsByDay(db, programme.id);
  const today = programmeDayAt(programme, now);
  const dayOf = (day: number): CalendarDay => {
    const rows = counts.filter((c) => c.day === day);
    const skipped: Record<string, number> = {};
    for (const r of rows.filter((r) => r.status === 'skipped')) skipped[r.reason ?? 'other'] = r.n;
    const sum = (status: string) => rows.filter((r) => r.status === status).reduce((a, r) => a + r.n, 0);
    return {
      day,
      date: dateOfProgrammeDay(programme, day),
      preset: programme.ramp[day - 1] ?? '',
      // Days not planned yet show what the draw will give.
      planned: rows.length > 0 ? sum('planned') : drawnOn(programme, members, day).length,
      created: sum('created'),
      skipped,
    };
  };
  const live = isLive(programme.status);
  const first = Math.max(1, today);
  const upcoming: CalendarDay[] = [];
  for (let day = first; live && day <= Math.min(programme.ramp.length, first + 2); day++)
    upcoming.push(dayOf(day));
  const history: CalendarDay[] = [];
  for (let day = 1; day < Math.min(today, programme.ramp.length + 1); day++) history.push(dayOf(day));
  return {
    day: today,
    upcoming,
    history,
    members: members.map((m) => ({
      username: m.username,
      quarantined: m.quarantinedAt !== null,
      fromDay: m.fromDay,
      untilDay: m.untilDay,
    })),
  };
}
