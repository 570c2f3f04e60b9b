// Wall-clock time in IANA zones across DST (Europe/Berlin's last Sundays of March and October),
// quiet windows that wrap midnight, clock strings.
import { describe, expect, it } from 'vitest';
import {
  inWindow,
  isTimeZone,
  localTime,
  parseClock,
  quietWindowEnd,
  zonedInstant,
} from '../../src/tasks/local-time.ts';

const at = (iso: string) => new Date(iso);

describe('local time', () => {
  it('turns a local date and minute into the instant, either side of a DST change', () => {
    expect(zonedInstant('2027-03-27', 9 * 60, 'Europe/Berlin').toISOString()).toBe(
      '2027-03-27T08:00:00.000Z',
    );
    expect(zonedInstant('2027-03-28', 9 * 60, 'Europe/Berlin').toISOString()).toBe(
      '2027-03-28T07:00:00.000Z',
    );
    // 02:30 does not exist on 28 March: moved forward by the gap, to 03:30 CEST (Temporal's "compatible").
    expect(zonedInstant('2027-03-28', 150, 'Europe/Berlin').toISOString()).toBe('2027-03-28T01:30:00.000Z');
    // 02:30 happens twice on 31 October: the first one (CEST).
    expect(zonedInstant('2027-10-31', 150, 'Europe/Berlin').toISOString()).toBe('2027-10-31T00:30:00.000Z');
    expect(zonedInstant('2026-12-01', 12 * 60, 'Europe/Moscow').toISOString()).toBe(
      '2026-12-01T09:00:00.000Z',
    );
    expect(localTime(at('2027-10-31T01:30:00Z'), 'Europe/Berlin')).toEqual({
      date: '2027-10-31',
      minute: 150,
    });
  });

  it('knows where a quiet window that wraps midnight ends', () => {
    const from = 23 * 60;
    const until = 8 * 60;
    expect(inWindow(23 * 60 + 30, from, until)).toBe(true);
    expect(inWindow(7 * 60 + 59, from, until)).toBe(true);
    expect(inWindow(8 * 60, from, until)).toBe(false);
    expect(inWindow(12 * 60, from, until)).toBe(false);
    expect(quietWindowEnd(at('2026-12-01T20:30:00Z'), 'Europe/Moscow', from, until)?.toISOString()).toBe(
      '2026-12-02T05:00:00.000Z',
    );
    expect(quietWindowEnd(at('2026-12-02T02:00:00Z'), 'Europe/Moscow', from, until)?.toISOString()).toBe(
      '2026-12-02T05:00:00.000Z',
    );
    expect(quietWindowEnd(at('2026-12-01T12:00:00Z'), 'Europe/Moscow', from, until)).toBeUndefined();
    // The night the clocks go back in Berlin: 08:00 CET is 07:00 UTC.
    expect(quietWindowEnd(at('2027-10-30T22:00:00Z'), 'Europe/Berlin', from, until)?.toISOString()).toBe(
      '2027-10-31T07:00:00.000Z',
    );
    // A window ending at 02:30 on the night that has no 02:30: it ends at 03:30 CEST.
    expect(quietWindowEnd(at('2027-03-27T23:30:00Z'), 'Europe/Berlin', 0, 150)?.toISOString()).toBe(
      '2027-03-28T01:30:00.000Z',
    );
  });

  it('reads clocks and zones strictly', () => {
    expect(parseClock('23:00')).toBe(1380);
    expect(parseClock('8:05')).toBe(485);
    for (const bad of ['25:00', '9', '09:60', '9.00', '', '-1:00']) expect(parseClock(bad)).toBeUndefined();
    expect(isTimeZone('Europe/Moscow')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    for (const bad of ['Mars/Base', '', 'Europe/Moscow; drop', '../etc']) expect(isTimeZone(bad)).toBe(false);
  });
});
