// The draw of one account's sessions on one programme day: how many (in [min, max]) and when
// (uniform over the day's windows in real time, at least the gap apart), seeded from
// (programme seed, account, day) so that every process draws the same slots.
import { createRandom } from '../../warmup/random.ts';
import { dateOfProgrammeDay, zonedTimeToUtc } from './calendar.ts';
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

/** The day's windows as real instants; a window a DST change leaves empty drops out. */
export function windowsOnDay(plan: SlotPlan, day: number): { start: Date; end: Date }[] {
  const date = dateOfProgrammeDay(plan, day);
  return plan.windows
    .map((w) => ({
      start: zonedTimeToUtc(plan.timeZone, date, w.from),
      end: zonedTimeToUtc(plan.timeZone, date, w.until, { gap: 'jump' }),
    }))
    .filter((w) => w.end.getTime() - w.start.getTime() >= MINUTE);
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
          windowEndsAt: w.end,
        };
      }
      position -= w.minutes;
    }
    throw new Error('a drawn slot fell outside the windows');
  });
}
