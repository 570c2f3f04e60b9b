// Wall-clock time in an IANA zone, DST-safe, with nothing but Intl: the local date and minute of
// an instant, the instant of a local date and minute (as Temporal's "compatible": a time the
// clocks skip moves forward by the gap, 02:30 → 03:30; a time they pass twice is its first
// occurrence), clock strings ("23:00"), quiet windows.

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

/** Offset of the zone from UTC at `at`, in milliseconds (Moscow: +3 h). */
function offsetMs(at: Date, timeZone: string): number {
  const p: Record<string, string> = {};
  for (const { type, value } of formatter(timeZone).formatToParts(at)) p[type] = value;
  const wall = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant when the clocks of `timeZone` show `minute` on `date`. */
export function zonedInstant(date: string, minute: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minute);
  // Two guesses cover a DST change: the offset before and the offset after.
  const before = offsetMs(new Date(wall - 86_400_000), timeZone);
  const after = offsetMs(new Date(wall + 86_400_000), timeZone);
  for (const offset of before === after ? [before] : [before, after]) {
    const at = new Date(wall - offset);
    const back = localTime(at, timeZone);
    if (back.date === date && back.minute === minute) return at;
  }
  // Skipped by the clocks (spring forward): moved forward by the gap, as a clock left unadjusted.
  return new Date(wall - before);
}

/** `date` plus `days` calendar days (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "23:00" / "8:05" → minutes after midnight; undefined for anything else ("25:00", "9"). */
export function parseClock(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

/** 1380 → "23:00". */
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
