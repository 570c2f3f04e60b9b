// Pure text builders of programmes: the creation summary, the /plans list, one programme's
// calendar and history, and the sentence for a bad spec. User values are escaped here.
import type { ProgrammeRow } from '../../../db/schema.ts';
import { formatClock } from '../../../tasks/local-time.ts';
import type { ProgrammeCalendarView, ProgrammeOverview } from '../../../tasks/programmes/queries.ts';
import { describeRamp } from '../../../tasks/programmes/ramp.ts';
import { MAX_SESSIONS, SPEC_KEYS, type SpecProblem } from '../../../tasks/programmes/spec.ts';
import { PRESET_NAMES } from '../../../warmup/settings.ts';
import type { Texts } from '../../i18n/index.ts';
import { escapeHtml, fitLines, joinFew, joinWithin, MAX_TEXT } from '../../shared/text-budget.ts';
import { shownInput } from '../quoted-input.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** 12/02, 10:37 Europe/Moscow — in the programme's zone, the zone named. */
export function atInZone(t: Texts, timeZone: string, at: Date): string {
  const key = `${t.locale.lang}|${timeZone}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(t.locale.lang, {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(key, f);
  }
  return `${f.format(at)} ${code(timeZone)}`;
}

/** 2026-12-02 → 12/02 (en) or 02.12 (ru). */
export function shortDate(t: Texts, date: string): string {
  const [, m, d] = date.split('-');
  return t.locale.lang === 'ru' ? `${d}.${m}` : `${m}/${d}`;
}

/** A name typed as a value (preset, zone): shown as code, in any language. */
const code = (text: string) => `<code>${escapeHtml(text)}</code>`;

const windowsText = (p: Pick<ProgrammeRow, 'windows'>) =>
  p.windows.map((w) => `${formatClock(w.from)}–${formatClock(w.until)}`).join(', ');
const range = (min: number, max: number) => (min === max ? `${min}` : `${min}–${max}`);

export function dayText(t: Texts, p: ProgrammeRow, day: number): string {
  const total = p.ramp.length;
  if (day < 1) return t.programmes.day.startsOn(shortDate(t, p.startDate));
  if (day > total || p.status === 'finished') return t.programmes.day.over(total);
  return t.programmes.day.of(day, total);
}

export function formatCreated(
  t: Texts,
  p: ProgrammeRow,
  usernames: string[],
  first: Date | undefined,
): string {
  const s = t.programmes.summary;
  const names = joinFew(usernames);
  return [
    t.programmes.created(p.id, escapeHtml(p.name)),
    s.days(
      p.ramp.length,
      code(p.rampByPlatform ? 'platform' : describeRamp(p.ramp)),
      shortDate(t, p.startDate),
    ),
    s.accounts(usernames.length, escapeHtml(names)),
    s.windows(windowsText(p), code(p.timeZone)),
    s.sessions(range(p.sessionsMin, p.sessionsMax), p.minGapMinutes),
    first ? s.first(atInZone(t, p.timeZone, first)) : s.noFirst,
  ].join('\n');
}

export function formatList(t: Texts, rows: ProgrammeOverview[]): string {
  const l = t.programmes.list;
  if (rows.length === 0) return l.empty;
  const lines = [l.header];
  for (const r of rows) {
    const p = r.programme;
    lines.push(
      '',
      l.line(p.id, escapeHtml(p.name), t.programmes.status[p.status] ?? p.status, dayText(t, p, r.day)),
      `${l.health(r.accounts, r.accounts - r.quarantined, r.quarantined)} · ${r.nextAt ? l.next(atInZone(t, p.timeZone, r.nextAt)) : l.noNext}`,
    );
  }
  return lines.join('\n');
}

/** "missed 2, quarantine 1": skipped slots by reason (the calendar's history, the daily summary). */
export function formatSkips(t: Texts, byReason: Record<string, number>): string {
  return Object.entries(byReason)
    .map(([reason, n]) => `${t.programmes.skip[reason] ?? reason} ${n}`)
    .join(', ');
}

export function formatCalendar(t: Texts, p: ProgrammeRow, view: ProgrammeCalendarView): string {
  const d = t.programmes.details;
  const skipped = (s: Record<string, number>) => formatSkips(t, s);
  const members = view.members
    .filter((m) => m.untilDay === null || m.untilDay > Math.max(view.day, 1))
    .map((m) => `${escapeHtml(m.username)}${m.quarantined ? ' ⚠️' : ''}`);
  const lines = [
    d.header(p.id, escapeHtml(p.name), t.programmes.status[p.status] ?? p.status, dayText(t, p, view.day)),
    t.programmes.summary.windows(windowsText(p), code(p.timeZone)),
    d.members(joinWithin(members, 1500)),
  ];
  if (view.upcoming.length > 0) {
    lines.push('', d.upcoming);
    for (const c of view.upcoming) {
      const today = c.day === view.day && c.created > 0 ? d.today(c.created) : '';
      lines.push(`${d.upcomingLine(c.day, shortDate(t, c.date), code(c.preset), c.planned)}${today}`);
    }
  }
  lines.push('', d.history);
  if (view.history.length === 0) lines.push(d.noHistory);
  // The newest past days that fit (20 at most); the older ones are counted above them.
  const history = view.history.slice(-20);
  return fitLines({
    head: lines,
    body: history.map((c) => d.historyLine(c.day, shortDate(t, c.date), c.created, skipped(c.skipped))),
    hidden: view.history.length - history.length,
    max: MAX_TEXT,
    more: t.task.more,
    keep: 'last',
  });
}

/** One line naming what is wrong with a /plan line; user text is shortened and escaped. */
export function describeSpecProblem(t: Texts, problem: SpecProblem): string {
  const s = (text: string) => shownInput(text) ?? t.hiddenLink;
  const m = t.programmes.problems;
  switch (problem.code) {
    case 'notKeyValue':
      return m.notKeyValue(s(problem.token));
    case 'unknownKey':
      return m.unknownKey(s(problem.key), code(SPEC_KEYS.join(', ')));
    case 'duplicateKey':
      return m.duplicateKey(s(problem.key));
    case 'emptyValue':
      return m.emptyValue(s(problem.key));
    case 'missing':
      return m.missing(problem.key);
    case 'badName':
      return m.badName;
    case 'badAccount':
      return m.badAccount(s(problem.value));
    case 'tooManyAccounts':
      return m.tooManyAccounts(problem.max);
    case 'badDays':
      return m.badDays(s(problem.value), problem.max);
    case 'badRamp':
      return m.badRamp(s(problem.value), PRESET_NAMES.join(', '));
    case 'rampDays':
      return m.rampDays(problem.rampDays, problem.days);
    case 'badWindow':
      return m.badWindow(s(problem.value));
    case 'overlap':
      return m.overlap(s(problem.a), s(problem.b));
    case 'badTz':
      return m.badTz(s(problem.value));
    case 'badSessions':
      return m.badSessions(s(problem.value), MAX_SESSIONS);
    case 'badGap':
      return m.badGap(s(problem.value));
    case 'badStart':
      return m.badStart(s(problem.value));
    case 'startPast':
      return m.startPast(s(problem.value));
    case 'tooTight':
      return m.tooTight(problem.sessions, problem.gap);
  }
}
