// The draw of one account's sessions on one programme day: how many (in [min, max]) and when
// (uniform over the day's windows in real time, at least the gap apart), seeded from
// (programme seed, account, day) so that every process draws the same slots.
import { createRandom } from '../../warmup/random.ts';
import { localTime, zonedInstant } from '../local-time.ts';
import { dateOfProgrammeDay } from './calendar.ts';
import type { Window } from './windows.ts';

export type SlotPlan = {
  timeZone: string;
  startDate: string;
  ramp: readonly string[];
  windows: readonly Window[];
  sessionsMin: number;
  sessionsMax: number;
  minGapMinutes: number;
  seed: number;
};

export type DrawnSlot = { seq: number; preset: string; dueAt: Date; windowEndsAt: Date };

const MINUTE = 60_000;

/** A 32-bit seed mixed from three integers (murmur3's finaliser after each). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

type RealWindow = { start: Date; end: Date; closesAt: Date };

/**
 * The day's windows as real instants; a window a DST change leaves empty drops out. A window that
 * takes in the hour a fall-back repeats lasts longer in real time than on the clock, and part of the
 * repeat may show times before its start (02:30–03:00 on a day 03:00 falls back to 02:00 also
 * spans 02:00–02:30 the second time): only the real minutes whose clock is inside the window count.
 */
export function windowsOnDay(plan: SlotPlan, day: number): RealWindow[] {
  const date = dateOfProgrammeDay(plan, day);
  return plan.windows.flatMap((w) => {
    const start = zonedInstant(date, w.from, plan.timeZone);
    const end = zonedInstant(date, w.until, plan.timeZone, { gap: 'jump' });
    const span = end.getTime() - start.getTime();
    if (span < MINUTE) return [];
    if (span <= (w.until - w.from) * MINUTE) return [{ start, end, closesAt: end }];
    return minutesOnTheClock(start, end, w, plan.timeZone);
  });
}

/** The runs of real minutes in [start, end) whose wall clock lies in the window (a DST day only). */
function minutesOnTheClock(start: Date, end: Date, w: Window, timeZone: string): RealWindow[] {
  const runs: RealWindow[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += MINUTE) {
    const { minute } = localTime(new Date(t), timeZone);
    if (minute < w.from || minute >= w.until) continue;
    const last = runs.at(-1);
    if (last && last.end.getTime() === t) last.end = new Date(t + MINUTE);
    else runs.push({ start: new Date(t), end: new Date(t + MINUTE), closesAt: end });
  }
  return runs;
}

/**
 * The slots of one account on one day (none outside 1..ramp.length). Positions are whole minutes:
 * k points drawn on the windows laid end to end, shortened by (k−1)·gap, sorted and spread by the
 * gap — so consecutive sessions are ≥ gap apart on that line, and further apart in real time.
 */
export function drawSlots(plan: SlotPlan, accountId: number, day: number): DrawnSlot[] {
  const preset = plan.ramp[day - 1];
  if (preset === undefined || day < 1) return [];
  const random = createRandom(mixSeed(plan.seed, accountId, day));
  const windows = windowsOnDay(plan, day).map((w) => ({
    ...w,
    minutes: Math.floor((w.end.getTime() - w.start.getTime()) / MINUTE),
  }));
  const total = windows.reduce((sum, w) => sum + w.minutes, 0);
  const wanted = random.int(plan.sessionsMin, plan.sessionsMax);
  // A short DST day may hold fewer than were drawn.
  const fits = total < 1 ? 0 : Math.floor((total - 1) / plan.minGapMinutes) + 1;
  const k = Math.min(wanted, fits);
  if (k === 0) return [];
  const free = total - (k - 1) * plan.minGapMinutes;
  const offsets = Array.from({ length: k }, () => random.int(0, free - 1)).sort((a, b) => a - b);
  return offsets.map((u, i) => {
    let position = u + i * plan.minGapMinutes;
    for (const w of windows) {
      if (position < w.minutes) {
        return {
          seq: i + 1,
          preset,
          dueAt: new Date(w.start.getTime() + position * MINUTE),
          windowEndsAt: w.closesAt,
        };
      }
      position -= w.minutes;
    }
    throw new Error('a drawn slot fell outside the windows');
  });
}
