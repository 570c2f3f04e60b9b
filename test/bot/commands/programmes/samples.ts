// Sample renderings of every programme text builder (for i18n.test.ts): each problem, the summary,
// the list, the calendar and the buttons.
import {
  confirmStopKeyboard,
  detailsKeyboard,
  listKeyboard,
} from '../../../../src/bot/commands/programmes/keyboard.ts';
import {
  describeSpecProblem,
  formatCalendar,
  formatCreated,
  formatList,
} from '../../../../src/bot/commands/programmes/views.ts';
import type { Texts } from '../../../../src/bot/i18n/index.ts';
import type { ProgrammeRow } from '../../../../src/db/schema.ts';
import { PROGRAMME_STATUSES } from '../../../../src/db/vocabulary.ts';
import type { SpecProblem } from '../../../../src/tasks/programmes/spec.ts';

const programme = (status: ProgrammeRow['status']): ProgrammeRow => ({
  id: 3,
  name: 'spring',
  status,
  ramp: ['observer', 'observer', 'light', 'active'],
  rampByPlatform: false,
  windows: [
    { from: 600, until: 780 },
    { from: 1080, until: 1350 },
  ],
  timeZone: 'Europe/Moscow',
  sessionsMin: 1,
  sessionsMax: 2,
  minGapMinutes: 90,
  startDate: '2026-12-02',
  seed: 1,
  chatId: 1,
  createdBy: 1,
  createdAt: new Date('2026-12-01T12:00:00Z'),
  updatedAt: new Date('2026-12-01T12:00:00Z'),
});

const PROBLEMS: SpecProblem[] = [
  { code: 'notKeyValue', token: 'spring' },
  { code: 'unknownKey', key: 'xyz' },
  { code: 'duplicateKey', key: 'tz' },
  { code: 'emptyValue', key: 'tz' },
  { code: 'missing', key: 'window' },
  { code: 'badName' },
  { code: 'badAccount', value: 'a b' },
  { code: 'tooManyAccounts', max: 200 },
  { code: 'badDays', value: '0', max: 60 },
  { code: 'badRamp', value: 'abc' },
  { code: 'rampDays', rampDays: 3, days: 5 },
  { code: 'badWindow', value: '13:00-12:00' },
  { code: 'overlap', a: '10:00-12:00', b: '11:00-13:00' },
  { code: 'badTz', value: 'Ab/Cd' },
  { code: 'badSessions', value: '3-1' },
  { code: 'badGap', value: '1y' },
  { code: 'badStart', value: '2026-02-30' },
  { code: 'startPast', value: '2026-11-30' },
  { code: 'tooTight', sessions: 3, gap: 60 },
];

export function programmeSamples(t: Texts): string[] {
  const out = PROBLEMS.map((p) => describeSpecProblem(t, p));
  const p = programme('active');
  out.push(
    formatCreated(t, p, ['alice', 'bob'], new Date('2026-12-02T07:37:00Z')),
    formatCreated(t, p, ['alice'], undefined),
  );
  const rows = PROGRAMME_STATUSES.map((status, i) => ({
    programme: programme(status),
    day: i - 1,
    accounts: 3,
    quarantined: i % 2,
    nextAt: i % 2 ? new Date('2026-12-02T07:37:00Z') : undefined,
  }));
  out.push(formatList(t, rows), formatList(t, []));
  out.push(
    formatCalendar(t, p, {
      day: 2,
      upcoming: [
        { day: 2, date: '2026-12-03', preset: 'observer', planned: 1, created: 2, skipped: {} },
        { day: 3, date: '2026-12-04', preset: 'light', planned: 5, created: 0, skipped: {} },
      ],
      history: [
        {
          day: 1,
          date: '2026-12-02',
          preset: 'observer',
          planned: 0,
          created: 3,
          skipped: { missed: 1, quarantined: 1, paused: 1, stopped: 1, removed: 1 },
        },
      ],
      members: [{ username: 'alice', quarantined: true, fromDay: 1, untilDay: null }],
    }),
    formatCalendar(t, programme('finished'), { day: 9, upcoming: [], history: [], members: [] }),
  );
  const buttons = [
    listKeyboard(
      t,
      rows.map((r) => r.programme),
    ),
    detailsKeyboard(t, programme('paused')),
    confirmStopKeyboard(t, 3),
  ];
  out.push(...buttons.flatMap((kb) => kb.reply_markup.inline_keyboard.flat().map((b) => b.text)));
  out.push(
    t.programmes.usage,
    t.programmes.usageId,
    t.programmes.confirmStop(3, 'spring'),
    t.programmes.paused(3),
    t.programmes.resumed(3),
    t.programmes.stopped(3),
    t.programmes.notStopped,
    t.programmes.unchanged(3, t.programmes.status.paused ?? ''),
    t.programmes.added('carol', 3, 4),
    t.programmes.removed('carol', 3, 4),
    t.unknownAccounts('zed'),
    t.unknownAccount('zed'),
    t.programmes.problems.nameTaken('spring'),
    ...Object.values(t.programmes.member).map((f) => f('carol' as never)),
  );
  return out;
}
