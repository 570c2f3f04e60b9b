// Calendar arithmetic of programmes in an IANA timezone: the local date of an instant, local wall
// time → UTC instant (DST-safe: a time in a spring-forward gap moves forward by the gap, an
// ambiguous autumn time takes its first occurrence), and the programme day of an instant.

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** True for a timezone name Intl knows (Europe/Moscow, UTC); false for Mars/Base. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function partsAt(timeZone: string, at: Date): Parts {
  const out: Record<string, number> = {};
  for (const p of formatIn(timeZone).formatToParts(at)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in minutes (Moscow: +180). */
export function offsetMinutesAt(timeZone: string, at: Date): number {
  const p = partsAt(timeZone, at);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The local date (YYYY-MM-DD) of an instant in the zone. */
export function localDateOf(timeZone: string, at: Date): string {
  const p = partsAt(timeZone, at);
  return `${String(p.year).padStart(4, '0')}-${pad(p.month)}-${pad(p.day)}`;
}

/** Minutes after local midnight of an instant in the zone (wall clock). */
export function localMinutesOf(timeZone: string, at: Date): number {
  const p = partsAt(timeZone, at);
  return p.hour * 60 + p.minute;
}

const pad = (n: number) => String(n).padStart(2, '0');

const DAY_MS = 86_400_000;

function dateToUtcMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1);
}

/** date + n days, as YYYY-MM-DD (calendar arithmetic, no zone involved). */
export function addDays(date: string, n: number): string {
  return new Date(dateToUtcMidnight(date) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dateToUtcMidnight(b) - dateToUtcMidnight(a)) / DAY_MS);
}

/**
 * The instant at which the wall clock of `timeZone` shows `minutes` after midnight of `date`
 * (minutes may reach 1440: the next midnight). In a spring-forward gap the result moves forward
 * by the gap (02:30 that does not exist → 03:30); an ambiguous autumn time takes the earlier one.
 * `gap: 'jump'` gives the instant the clock jumps instead — the end of a window that ends inside
 * the gap, so the window holds only the wall times it names.
 */
export function zonedTimeToUtc(
  timeZone: string,
  date: string,
  minutes: number,
  options: { gap?: 'forward' | 'jump' } = {},
): Date {
  const wall = dateToUtcMidnight(date) + minutes * 60_000;
  // Try the offsets in force a day either side; the earliest candidate that reads back right wins.
  const offsets = new Set([
    offsetMinutesAt(timeZone, new Date(wall - DAY_MS)),
    offsetMinutesAt(timeZone, new Date(wall)),
    offsetMinutesAt(timeZone, new Date(wall + DAY_MS)),
  ]);
  const exact = [...offsets]
    .map((o) => wall - o * 60_000)
    .filter((t) => offsetMinutesAt(timeZone, new Date(t)) * 60_000 === wall - t)
    .sort((a, b) => a - b);
  if (exact[0] !== undefined) return new Date(exact[0]);
  // Nonexistent: the offset before the gap applied, which lands the same distance past the gap.
  const before = offsetMinutesAt(timeZone, new Date(wall - DAY_MS));
  const forward = wall - before * 60_000;
  if (options.gap !== 'jump') return new Date(forward);
  // The jump lies between the wall time read with the later offset and `forward`: bisect to it.
  let lo = wall - offsetMinutesAt(timeZone, new Date(wall + DAY_MS)) * 60_000;
  let hi = forward;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (offsetMinutesAt(timeZone, new Date(mid)) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

/** What calendar.ts needs of a programme. */
export type ProgrammeCalendar = { timeZone: string; startDate: string; ramp: readonly unknown[] };

/**
 * The programme day of an instant: the local date in the programme's zone − startDate + 1. Day 1
 * is the start date; 0 or less: not begun; above ramp.length: finished. Reused by the digest.
 */
export function programmeDayAt(programme: ProgrammeCalendar, now: Date): number {
  return daysBetween(programme.startDate, localDateOf(programme.timeZone, now)) + 1;
}

/** The local date of a programme day. */
export function dateOfProgrammeDay(programme: ProgrammeCalendar, day: number): string {
  return addDays(programme.startDate, day - 1);
}

/** "10:00" for 600; 1440 reads "24:00". */
export function formatMinutes(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
