// The one-line programme spec of /plan: `name=spring accounts=a,b days=14 ramp=standard
// window=10:00-13:00,18:00-22:30 tz=Europe/Moscow sessions=1-2 gap=90m start=2026-12-02`.
// Pure: the text → a validated spec, or the first problem (worded by the bot in the user's language).
import { type PresetName, parseRange } from '../../warmup/settings.ts';
import { parseSelection, selectionTokens } from '../fleet/selection.ts';
import { addDays, isTimeZone, localTime } from '../local-time.ts';
import { expandRamp, MAX_DAYS, rampLength, readRamp, scaleRamp } from './ramp.ts';
import { parseWindows, type Window, windowsHold } from './windows.ts';

export type ProgrammeSpec = {
  name: string;
  /**
   * Which accounts, as selection tokens (fleet/selection.ts): lower-cased usernames without '@',
   * `tag:x`, `platform:x`, `all` — each once; resolved against the fleet when the programme is made.
   */
  accounts: string[];
  /** One preset per day. */
  ramp: PresetName[];
  /** ramp=platform: each account follows its platform's ramp, scaled to the days (`ramp` otherwise). */
  rampByPlatform?: boolean;
  windows: Window[];
  timeZone: string;
  sessions: { min: number; max: number };
  gapMinutes: number;
  startDate: string;
};

export type SpecProblem =
  | { code: 'notKeyValue'; token: string }
  | { code: 'unknownKey'; key: string }
  | { code: 'duplicateKey'; key: string }
  | { code: 'emptyValue'; key: string }
  | { code: 'missing'; key: 'name' | 'accounts' | 'window' }
  | { code: 'badName' }
  | { code: 'badAccount'; value: string }
  | { code: 'tooManyAccounts'; max: number }
  | { code: 'badDays'; value: string; max: number }
  | { code: 'badRamp'; value: string }
  | { code: 'rampDays'; rampDays: number; days: number }
  | { code: 'badWindow'; value: string }
  | { code: 'overlap'; a: string; b: string }
  | { code: 'badTz'; value: string }
  | { code: 'badSessions'; value: string }
  | { code: 'badGap'; value: string }
  | { code: 'badStart'; value: string }
  | { code: 'startPast'; value: string }
  | { code: 'tooTight'; sessions: number; gap: number };

export const SPEC_KEYS = ['name', 'accounts', 'days', 'ramp', 'window', 'tz', 'sessions', 'gap', 'start'];
export const DEFAULT_GAP_MINUTES = 60;
export const DEFAULT_SESSIONS = { min: 1, max: 2 };
export const MAX_SESSIONS = 12;
export const MAX_ACCOUNTS = 200;

const TOKEN_RE = /([^\s=]+)=(?:"([^"]*)"|“([^”]*)”|«([^»]*)»|(\S*))|(\S+)/gu;
const NAME_RE = /^[\p{L}\p{N}_.\- ]{1,40}$/u;

/** `key=value` pairs of the line, lower-cased keys; or the first malformed token. */
export function readFields(text: string): Map<string, string> | SpecProblem {
  const fields = new Map<string, string>();
  for (const m of text.matchAll(TOKEN_RE)) {
    if (m[6] !== undefined) return { code: 'notKeyValue', token: m[6] };
    const key = m[1]!.toLowerCase();
    const value = (m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').trim();
    if (!SPEC_KEYS.includes(key)) return { code: 'unknownKey', key };
    if (fields.has(key)) return { code: 'duplicateKey', key };
    if (value === '') return { code: 'emptyValue', key };
    fields.set(key, value);
  }
  return fields;
}

export type SpecContext = { now: Date; defaultTimeZone: string };

export function parseProgrammeSpec(
  text: string,
  context: SpecContext,
): { ok: true; spec: ProgrammeSpec } | { ok: false; problem: SpecProblem } {
  const fields = readFields(text);
  if (!(fields instanceof Map)) return { ok: false, problem: fields };
  const result = validate(fields, context);
  return 'code' in result ? { ok: false, problem: result } : { ok: true, spec: result };
}

function validate(f: Map<string, string>, context: SpecContext): ProgrammeSpec | SpecProblem {
  for (const key of ['name', 'accounts', 'window'] as const) {
    if (!f.has(key)) return { code: 'missing', key };
  }
  const name = f.get('name')!;
  if (!NAME_RE.test(name) || /^\d+$/.test(name)) return { code: 'badName' };
  const items = f.get('accounts')!.split(',');
  const bad = items.find((item) => item.trim() !== '' && !parseSelection([item]).ok);
  if (bad !== undefined) return { code: 'badAccount', value: bad.trim() };
  const selection = parseSelection(items);
  if (!selection.ok) return { code: 'emptyValue', key: 'accounts' };
  const accounts = selectionTokens(selection.selection);
  if (accounts.length > MAX_ACCOUNTS) return { code: 'tooManyAccounts', max: MAX_ACCOUNTS };

  const rampText = f.get('ramp') ?? 'standard';
  const rampByPlatform = rampText.trim().toLowerCase() === 'platform';
  const choice = readRamp(rampByPlatform ? 'standard' : rampText);
  if (!choice) return { code: 'badRamp', value: rampText };
  let days: number | undefined;
  if (f.has('days')) {
    const d = f.get('days')!;
    if (!/^\d{1,3}$/.test(d) || Number(d) < 1 || Number(d) > MAX_DAYS) {
      return { code: 'badDays', value: d, max: MAX_DAYS };
    }
    days = Number(d);
  }
  const written = rampLength(choice.phases);
  if (choice.kind === 'written' && days !== undefined && days !== written) {
    return { code: 'rampDays', rampDays: written, days };
  }
  if (choice.kind === 'written' && written > MAX_DAYS) {
    return { code: 'badDays', value: String(written), max: MAX_DAYS };
  }
  // A named ramp scales to days=; a lone preset without days= runs a week.
  const length = days ?? (choice.kind === 'written' || choice.phases.length > 1 ? written : 7);
  const ramp = expandRamp(choice.kind === 'written' ? choice.phases : scaleRamp(choice.phases, length));

  const windows = parseWindows(f.get('window')!);
  if (!Array.isArray(windows)) return windows;
  const timeZone = f.get('tz') ?? context.defaultTimeZone;
  if (!isTimeZone(timeZone)) return { code: 'badTz', value: timeZone };

  let sessions = DEFAULT_SESSIONS;
  if (f.has('sessions')) {
    const range = parseRange(f.get('sessions')!);
    if (typeof range === 'string' || range.min < 1 || range.max > MAX_SESSIONS) {
      return { code: 'badSessions', value: f.get('sessions')! };
    }
    sessions = range;
  }
  let gapMinutes = DEFAULT_GAP_MINUTES;
  if (f.has('gap')) {
    const g = /^(\d{1,4})\s*(m|min|h)?$/i.exec(f.get('gap')!);
    const minutes = g ? Number(g[1]) * (g[2]?.toLowerCase() === 'h' ? 60 : 1) : Number.NaN;
    if (!(minutes >= 1 && minutes <= 720)) return { code: 'badGap', value: f.get('gap')! };
    gapMinutes = minutes;
  }
  if (!windowsHold(windows, sessions.max, gapMinutes)) {
    return { code: 'tooTight', sessions: sessions.max, gap: gapMinutes };
  }

  const today = localTime(context.now, timeZone).date;
  let startDate: string;
  if (f.has('start')) {
    const s = f.get('start')!;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`)) || !sameDate(s)) {
      return { code: 'badStart', value: s };
    }
    if (s < today) return { code: 'startPast', value: s };
    startDate = s;
  } else {
    startDate = defaultStart(windows, timeZone, context.now);
  }
  return {
    name,
    accounts,
    ramp,
    ...(rampByPlatform ? { rampByPlatform } : {}),
    windows,
    timeZone,
    sessions,
    gapMinutes,
    startDate,
  };
}

/** Rejects 2026-02-30, which Date.parse rolls over. */
function sameDate(s: string): boolean {
  return new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
}

/** Today in the zone while one of today's windows is still open, else tomorrow. */
export function defaultStart(windows: readonly Window[], timeZone: string, now: Date): string {
  const { date: today, minute: minutes } = localTime(now, timeZone);
  return windows.some((w) => minutes < w.until) ? today : addDays(today, 1);
}
