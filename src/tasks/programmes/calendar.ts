// The programme day of an instant and the date of a programme day. The zone arithmetic under it
// (local date of an instant, wall time → instant across DST, day arithmetic) is local-time.ts's.
import { addDays, daysBetween, localTime } from '../local-time.ts';

/** What calendar.ts needs of a programme. */
export type ProgrammeCalendar = { timeZone: string; startDate: string; ramp: readonly unknown[] };

/**
 * The programme day of an instant: the local date in the programme's zone − startDate + 1. Day 1
 * is the start date; 0 or less: not begun; above ramp.length: finished. Reused by the digest.
 */
export function programmeDayAt(programme: Omit<ProgrammeCalendar, 'ramp'>, now: Date): number {
  return daysBetween(programme.startDate, localTime(now, programme.timeZone).date) + 1;
}

/** The local date of a programme day. */
export function dateOfProgrammeDay(programme: Pick<ProgrammeCalendar, 'startDate'>, day: number): string {
  return addDays(programme.startDate, day - 1);
}
