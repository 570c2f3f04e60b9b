// Wall-clock time in an IANA zone, DST-safe, with nothing but Intl — the one owner of zone
// arithmetic for chat settings, quiet hours, the digest and programmes: the local date and minute
// of an instant, the instant of a local date and minute (as Temporal's "compatible": a time the
// clocks skip moves forward by the gap, 02:30 → 03:30; a time they pass twice is its first
// occurrence), calendar-day arithmetic, clock strings ("23:00"), quiet windows.

const parts = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = parts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    parts.set(timeZone, f);
  }
  return f;
}

/** Whether `name` is an IANA zone this runtime knows ("Europe/Moscow", "UTC"). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name) || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical spelling ("europe/moscow" → "Europe/Moscow"). */
export function canonicalTimeZone(name: string): string {
  return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
}

export type LocalTime = { date: string; minute: number };

/** The local date (YYYY-MM-DD) and minute after midnight of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const p: Record<string, string> = {};
  for (const { type, value } of formatter(timeZone).formatToParts(at)) p[type] = value;
  return { date: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute) };
}

const DAY_MS = 86_400_000;

/** Offset of the zone from UTC at `at`, in whole minutes (Moscow: +180). */
function offsetMinutes(at: Date, timeZone: string): number {
  const p: Record<string, string> = {};
  for (const { type, value } of formatter(timeZone).formatToParts(at)) p[type] = value;
  const wall = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

function utcMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/**
 * The instant when the clocks of `timeZone` show `minute` after midnight of `date` (minute may
 * reach 1440: the next midnight). A time the clocks skip moves forward by the gap (02:30 → 03:30);
 * a time they pass twice is its first occurrence. `gap: 'jump'` gives the instant the clock jumps
 * instead — the end of a window that ends inside the gap, so the window holds only the wall times
 * it names.
 */
export function zonedInstant(
  date: string,
  minute: number,
  timeZone: string,
  options: { gap?: 'forward' | 'jump' } = {},
): Date {
  const wall = utcMidnight(date) + minute * 60_000;
  // The offsets in force a day either side and at the wall time; the earliest exact reading wins.
  const before = offsetMinutes(new Date(wall - DAY_MS), timeZone);
  const after = offsetMinutes(new Date(wall + DAY_MS), timeZone);
  const exact = [...new Set([before, offsetMinutes(new Date(wall), timeZone), after])]
    .map((o) => wall - o * 60_000)
    .filter((t) => offsetMinutes(new Date(t), timeZone) * 60_000 === wall - t)
    .sort((x, y) => x - y);
  if (exact[0] !== undefined) return new Date(exact[0]);
  // Skipped by the clocks (spring forward): the offset before the gap, as a clock left unadjusted.
  const forward = wall - before * 60_000;
  if (options.gap !== 'jump') return new Date(forward);
  // The jump lies between the wall time read with the later offset and `forward`: bisect to it.
  let lo = wall - after * 60_000;
  let hi = forward;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (offsetMinutes(new Date(mid), timeZone) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

/** `date` plus `days` calendar days (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(utcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

/**
 * "23:00" / "8:05" → minutes after midnight; undefined for anything else ("25:00", "9"). With
 * `endOfDay`, "24:00" reads 1440 too: the end of a window that runs to midnight.
 */
export function parseClock(text: string, options: { endOfDay?: boolean } = {}): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (options.endOfDay && h === 24 && min === 0) return 1440;
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

/** 1380 → "23:00"; 1440 reads "24:00". */
export function formatClock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** Whether a local minute lies in the window [from, until), which may wrap past midnight. */
export function inWindow(minute: number, from: number, until: number): boolean {
  if (from === until) return false;
  return from < until ? minute >= from && minute < until : minute >= from || minute < until;
}

/**
 * When the quiet window `from`–`until` (local minutes in `timeZone`) that holds `at` ends, or
 * undefined when `at` is outside it. 23:00–08:00 at 23:30 → 08:00 the next local day.
 */
export function quietWindowEnd(at: Date, timeZone: string, from: number, until: number): Date | undefined {
  const local = localTime(at, timeZone);
  if (!inWindow(local.minute, from, until)) return undefined;
  const endDate = local.minute < until ? local.date : addDays(local.date, 1);
  const end = zonedInstant(endDate, until, timeZone);
  // A window end skipped or doubled by a DST change must still lie ahead.
  return end.getTime() > at.getTime() ? end : new Date(at.getTime() + 60_000);
}
