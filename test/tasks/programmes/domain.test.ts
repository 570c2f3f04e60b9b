// The pure side of programmes: spec parsing, ramps, calendar arithmetic across DST, and the slot
// draw (properties over many seeds, zones and windows with fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTime, zonedInstant } from '../../../src/tasks/local-time.ts';
import { programmeDayAt } from '../../../src/tasks/programmes/calendar.ts';
import { expandRamp, STANDARD_RAMP, scaleRamp } from '../../../src/tasks/programmes/ramp.ts';
import { drawSlots, type SlotPlan } from '../../../src/tasks/programmes/slots.ts';
import { parseProgrammeSpec } from '../../../src/tasks/programmes/spec.ts';
import { parseWindows } from '../../../src/tasks/programmes/windows.ts';

const ctx = { now: new Date('2026-12-01T12:00:00Z'), defaultTimeZone: 'UTC' };
const parse = (line: string) => parseProgrammeSpec(line, ctx);
const problem = (line: string) => {
  const r = parse(line);
  return r.ok ? undefined : r.problem;
};

describe('spec', () => {
  it('reads the issue line', () => {
    const r = parse(
      'name=spring accounts=a,b,@C days=14 ramp=standard window=18:00-22:30,10:00-13:00 tz=Europe/Moscow sessions=1-2 gap=90m start=2026-12-02',
    );
    expect(r).toEqual({
      ok: true,
      spec: {
        name: 'spring',
        accounts: ['a', 'b', 'c'],
        ramp: expandRamp(STANDARD_RAMP),
        windows: [
          { from: 600, until: 780 },
          { from: 1080, until: 1350 },
        ],
        timeZone: 'Europe/Moscow',
        sessions: { min: 1, max: 2 },
        gapMinutes: 90,
        startDate: '2026-12-02',
      },
    });
  });

  it('refuses bad input with the problem', () => {
    expect(problem('name=x accounts=a window=10:00-12:00 tz=Mars/Base')).toEqual({
      code: 'badTz',
      value: 'Mars/Base',
    });
    expect(problem('name=x accounts=a window=10:00-12:00,11:00-13:00')).toMatchObject({ code: 'overlap' });
    expect(problem('name=x accounts=a window=10:00-12:00 sessions=3-1')).toMatchObject({
      code: 'badSessions',
    });
    expect(problem('name=x accounts=a window=13:00-12:00')).toMatchObject({ code: 'badWindow' });
    // Windows never wrap past midnight (quiet hours do); 24:00 ends one at midnight; 10.00 reads 10:00.
    expect(problem('name=x accounts=a window=23:00-08:00')).toMatchObject({ code: 'badWindow' });
    expect(problem('name=x accounts=a window=24:00-24:00')).toMatchObject({ code: 'badWindow' });
    expect(problem('name=x accounts=a window=22:00-24:30')).toMatchObject({ code: 'badWindow' });
    expect(parseWindows('20.00–24:00, 8:00-9:30')).toEqual([
      { from: 480, until: 570 },
      { from: 1200, until: 1440 },
    ]);
    expect(problem('name=x accounts=a window=10:00-11:00 sessions=3 gap=60m')).toMatchObject({
      code: 'tooTight',
    });
    expect(problem('name=x accounts=a window=10:00-12:00 ramp=observer:3,light:4 days=10')).toEqual({
      code: 'rampDays',
      rampDays: 7,
      days: 10,
    });
    expect(problem('name=x accounts=a window=10:00-12:00 ramp=lazy:3')).toMatchObject({ code: 'badRamp' });
    expect(problem('name=x accounts=a window=10:00-12:00 start=2026-11-30')).toMatchObject({
      code: 'startPast',
    });
    expect(problem('name=x accounts=a window=10:00-12:00 start=2026-02-30')).toMatchObject({
      code: 'badStart',
    });
    expect(problem('accounts=a window=10:00-12:00')).toEqual({ code: 'missing', key: 'name' });
    expect(problem('name=x accounts=a window=10:00-12:00 colour=red')).toEqual({
      code: 'unknownKey',
      key: 'colour',
    });
  });

  it('scales a named ramp to days= and starts today while a window is open, else tomorrow', () => {
    const week = parse('name=x accounts=a window=10:00-13:00 days=7');
    expect(week.ok && week.spec.ramp).toEqual([
      'observer',
      'observer',
      'light',
      'light',
      'moderate',
      'active',
      'active',
    ]);
    expect(week.ok && week.spec.startDate).toBe('2026-12-01'); // 12:00 UTC, window open until 13:00
    const late = parse('name=x accounts=a window=10:00-11:30');
    expect(late.ok && late.spec.startDate).toBe('2026-12-02');
    const lone = parse('name=x accounts=a window=10:00-13:00 ramp=light');
    expect(lone.ok && lone.spec.ramp).toEqual(Array(7).fill('light'));
  });

  it('scaleRamp keeps the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (days) => {
        expect(expandRamp(scaleRamp(STANDARD_RAMP, days))).toHaveLength(days);
      }),
    );
  });
});

describe('calendar', () => {
  it('maps wall time to UTC across DST (gap moves forward, ambiguous takes the first)', () => {
    // Berlin springs forward 2026-03-29 02:00 → 03:00 and falls back 2026-10-25 03:00 → 02:00.
    expect(zonedInstant('2026-03-29', 150, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedInstant('2026-10-25', 150, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedInstant('2026-12-02', 600, 'Europe/Moscow').toISOString()).toBe('2026-12-02T07:00:00.000Z');
    expect(zonedInstant('2026-03-08', 1440, 'America/New_York').toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
  });

  it('round-trips every existing wall time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'),
        fc.integer({ min: 0, max: 730 }),
        fc.integer({ min: 0, max: 1439 }),
        (zone, dayOffset, minutes) => {
          const date = new Date(Date.UTC(2026, 0, 1) + dayOffset * 86_400_000).toISOString().slice(0, 10);
          const at = zonedInstant(date, minutes, zone);
          const back = localTime(at, zone).minute;
          // Either exact, or (in a gap) moved forward by at most an hour on the same date.
          expect(localTime(at, zone).date).toBe(date);
          expect(back - minutes).toBeGreaterThanOrEqual(0);
          expect(back - minutes).toBeLessThanOrEqual(60);
        },
      ),
    );
  });

  it('programmeDayAt counts local dates from the start', () => {
    const p = { timeZone: 'Europe/Moscow', startDate: '2026-12-02', ramp: [] };
    expect(programmeDayAt(p, new Date('2026-12-01T20:59:00Z'))).toBe(0);
    expect(programmeDayAt(p, new Date('2026-12-01T21:00:00Z'))).toBe(1);
    expect(programmeDayAt(p, new Date('2026-12-15T20:00:00Z'))).toBe(14);
  });
});

const zones = fc.constantFrom('Europe/Berlin', 'America/New_York', 'Europe/Moscow', 'Australia/Lord_Howe');
const windowSets = fc
  .uniqueArray(fc.integer({ min: 0, max: 48 }), { minLength: 2, maxLength: 6 })
  .map((marks) => {
    const sorted = [...marks].sort((a, b) => a - b).map((m) => m * 30);
    const out: { from: number; until: number }[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) out.push({ from: sorted[i]!, until: sorted[i + 1]! });
    return out;
  });

const planArb = fc.record({
  timeZone: zones,
  // Around DST changes of both hemispheres as well as plain days.
  startDate: fc.constantFrom('2026-03-07', '2026-03-27', '2026-10-03', '2026-10-24', '2026-12-02'),
  ramp: fc.constant(expandRamp(STANDARD_RAMP)),
  windows: windowSets,
  sessionsMin: fc.integer({ min: 1, max: 3 }),
  sessionsMax: fc.integer({ min: 3, max: 5 }),
  minGapMinutes: fc.integer({ min: 1, max: 120 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
}) satisfies fc.Arbitrary<SlotPlan>;

describe('drawSlots', () => {
  it('every slot inside a window of its day, gaps respected, count in range when it fits, deterministic', () => {
    fc.assert(
      fc.property(
        planArb,
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 14 }),
        (plan, account, day) => {
          const slots = drawSlots(plan, account, day);
          expect(drawSlots(plan, account, day)).toEqual(slots);
          expect(slots.length).toBeLessThanOrEqual(plan.sessionsMax);
          const date = new Date(Date.parse(`${plan.startDate}T00:00:00Z`) + (day - 1) * 86_400_000)
            .toISOString()
            .slice(0, 10);
          for (const [i, s] of slots.entries()) {
            expect(s.seq).toBe(i + 1);
            expect(s.preset).toBe(plan.ramp[day - 1]);
            expect(s.dueAt.getTime()).toBeLessThan(s.windowEndsAt.getTime());
            expect(localTime(s.dueAt, plan.timeZone).date).toBe(date);
            const local = localTime(s.dueAt, plan.timeZone).minute;
            expect(plan.windows.some((w) => local >= w.from && local < w.until)).toBe(true);
            const prev = slots[i - 1];
            if (prev)
              expect(s.dueAt.getTime() - prev.dueAt.getTime()).toBeGreaterThanOrEqual(
                plan.minGapMinutes * 60_000,
              );
          }
          const total = plan.windows.reduce((sum, w) => sum + w.until - w.from, 0);
          // Away from DST days the full count always fits when the windows hold it.
          if (total - (plan.sessionsMax - 1) * plan.minGapMinutes >= 61) {
            expect(slots.length).toBeGreaterThanOrEqual(plan.sessionsMin);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('on a fall-back day, never in the repeated hour’s minutes that lie before the window', () => {
    // Berlin's clocks go from 03:00 back to 02:00 on 2026-10-25: 02:30–03:00 comes twice, and in
    // between the clock shows 02:00–02:30, which is not the window.
    const plan: SlotPlan = {
      timeZone: 'Europe/Berlin',
      startDate: '2026-10-24',
      ramp: expandRamp(STANDARD_RAMP),
      windows: [{ from: 150, until: 180 }],
      sessionsMin: 3,
      sessionsMax: 3,
      minGapMinutes: 1,
      seed: 1170016383,
    };
    const minutes = Array.from({ length: 200 }, (_, account) => drawSlots(plan, account + 1, 2))
      .flat()
      .map((s) => localTime(s.dueAt, plan.timeZone).minute);
    expect(minutes.length).toBe(600);
    expect(minutes.filter((m) => m < 150 || m >= 180)).toEqual([]);
  });

  it('draws differently per account and per day', () => {
    const plan: SlotPlan = {
      timeZone: 'Europe/Moscow',
      startDate: '2026-12-02',
      ramp: expandRamp(STANDARD_RAMP),
      windows: [{ from: 600, until: 780 }],
      sessionsMin: 2,
      sessionsMax: 2,
      minGapMinutes: 30,
      seed: 7,
    };
    const a = drawSlots(plan, 1, 1).map((s) => s.dueAt.getTime());
    expect(drawSlots(plan, 2, 1).map((s) => s.dueAt.getTime())).not.toEqual(a);
    expect(drawSlots(plan, 1, 2).map((s) => s.dueAt.getTime() - 86_400_000)).not.toEqual(a);
    expect(drawSlots(plan, 1, 15)).toEqual([]);
  });
});

describe('DST days', () => {
  it('a window ending inside the spring-forward gap ends when the clock jumps', () => {
    const plan: SlotPlan = {
      timeZone: 'Europe/Berlin',
      startDate: '2026-03-29',
      ramp: ['observer'],
      windows: [{ from: 90, until: 150 }],
      sessionsMin: 3,
      sessionsMax: 3,
      minGapMinutes: 10,
      seed: 1,
    };
    for (let account = 1; account <= 50; account++) {
      for (const s of drawSlots(plan, account, 1)) {
        expect(s.windowEndsAt.toISOString()).toBe('2026-03-29T01:00:00.000Z');
        expect(localTime(s.dueAt, 'Europe/Berlin').minute).toBeGreaterThanOrEqual(90);
        expect(localTime(s.dueAt, 'Europe/Berlin').minute).toBeLessThan(120);
      }
    }
  });
});
