// The one-line form of /new: `name=… accounts=a,b|all|tag:x preset=light likes=2-5 cap=20m search=a,b`.
// Pure: turns the text after the command into a name, accounts, a preset and settings overrides,
// or the first problem found, which describeProblem words in the user's language.

import { parseSelection, selectionTokens } from '../../../tasks/fleet/selection.ts';
import {
  isPresetName,
  PRESET_NAMES,
  type PresetName,
  parseRange,
  type WarmupSettings,
} from '../../../warmup/settings.ts';
import type { Texts } from '../../i18n/index.ts';
import { shownInput } from '../quoted-input.ts';

/** Knobs typed as a range, and the settings field each one sets. */
const RANGE_KEYS = {
  scrolls: 'scrolls',
  videos: 'videos',
  watch: 'watchSeconds',
  likes: 'likes',
  follows: 'follows',
  comments: 'comments',
  delay: 'delaySeconds',
} as const;
type RangeKey = keyof typeof RANGE_KEYS;

export const NEW_TASK_KEYS = [
  'name',
  'accounts',
  'preset',
  ...Object.keys(RANGE_KEYS),
  'parallel',
  'cap',
  'search',
];
export const MAX_NAME = 100;

export type NewTaskArgs = {
  name: string | undefined;
  /**
   * Every healthy account; or selection tokens (fleet/selection.ts): lower-cased usernames without
   * '@', `tag:x`, `platform:x`, `all`, each once.
   */
  accounts: 'all' | string[];
  preset: PresetName | undefined;
  overrides: Partial<WarmupSettings>;
};

export type NewTaskProblem =
  | { code: 'notKeyValue'; token: string }
  | { code: 'unknownKey'; key: string }
  | { code: 'duplicateKey'; key: string }
  | { code: 'emptyValue'; key: string }
  | { code: 'reversedRange'; key: string; value: string; fixed: string }
  | { code: 'notRange'; key: string; value: string }
  | { code: 'notCount'; key: string; value: string }
  | { code: 'badCap'; value: string }
  | { code: 'unknownPreset'; value: string }
  | { code: 'badAccountName'; value: string }
  | { code: 'tooLong'; key: string; max: number }
  | { code: 'missingAccounts' };

export type NewTaskParse = { ok: true; args: NewTaskArgs } | { ok: false; problem: NewTaskProblem };

// key=value, where the value may be quoted ("…", “…” or «…») to hold spaces.
const TOKEN_RE = /([^\s=]+)=(?:"([^"]*)"|“([^”]*)”|«([^»]*)»|(\S*))|(\S+)/gu;

export function parseNewTaskArgs(text: string): NewTaskParse {
  const args: NewTaskArgs = { name: undefined, accounts: [], preset: undefined, overrides: {} };
  const seen = new Set<string>();
  for (const match of text.matchAll(TOKEN_RE)) {
    if (match[6] !== undefined) return fail({ code: 'notKeyValue', token: match[6] });
    const key = match[1]!.toLowerCase();
    const value = (match[2] ?? match[3] ?? match[4] ?? match[5] ?? '').trim();
    if (!NEW_TASK_KEYS.includes(key)) return fail({ code: 'unknownKey', key });
    if (seen.has(key)) return fail({ code: 'duplicateKey', key });
    seen.add(key);
    if (value === '') return fail({ code: 'emptyValue', key });
    const problem = apply(args, key, value);
    if (problem) return fail(problem);
  }
  if (!seen.has('accounts')) return fail({ code: 'missingAccounts' });
  return { ok: true, args };
}

function apply(args: NewTaskArgs, key: string, value: string): NewTaskProblem | undefined {
  switch (key) {
    case 'name':
      if (value.length > MAX_NAME) return { code: 'tooLong', key, max: MAX_NAME };
      args.name = value;
      return;
    case 'accounts':
      return readAccounts(args, value);
    case 'preset': {
      const preset = value.toLowerCase();
      if (!isPresetName(preset)) return { code: 'unknownPreset', value };
      args.preset = preset;
      return;
    }
    case 'parallel':
      if (!/^\d{1,2}$/.test(value)) return { code: 'notCount', key, value };
      args.overrides.parallel = Number(value);
      return;
    case 'cap': {
      const cap = /^(\d{1,5})\s*(s|m|h)$/i.exec(value);
      if (!cap) return { code: 'badCap', value };
      const unit = { s: 1, m: 60, h: 3600 }[cap[2]!.toLowerCase() as 's' | 'm' | 'h'];
      args.overrides.sessionCapSeconds = Number(cap[1]) * unit;
      return;
    }
    case 'search': {
      const words = value
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean);
      if (words.length === 0) return { code: 'emptyValue', key };
      args.overrides.searchKeywords = words;
      return;
    }
    default:
      return readRange(args, key as RangeKey, value);
  }
}

function readAccounts(args: NewTaskArgs, value: string): NewTaskProblem | undefined {
  if (value.toLowerCase() === 'all') {
    args.accounts = 'all';
    return;
  }
  const items = value.split(',');
  const bad = items.find((item) => item.trim() !== '' && !parseSelection([item]).ok);
  if (bad !== undefined) return { code: 'badAccountName', value: bad.trim() };
  const selection = parseSelection(items);
  if (!selection.ok) return { code: 'emptyValue', key: 'accounts' };
  args.accounts = selectionTokens(selection.selection);
}

function readRange(args: NewTaskArgs, key: RangeKey, value: string): NewTaskProblem | undefined {
  const range = parseRange(value);
  if (typeof range !== 'string') {
    args.overrides[RANGE_KEYS[key]] = range;
    return;
  }
  const bounds = /^(\d{1,4})\s*(-|–|—|\.\.)\s*(\d{1,4})$/.exec(value);
  if (bounds && Number(bounds[1]) > Number(bounds[3])) {
    return { code: 'reversedRange', key, value, fixed: `${bounds[3]}${bounds[2]}${bounds[1]}` };
  }
  return { code: 'notRange', key, value };
}

const KEY_OF_FIELD: Record<string, string> = {
  ...Object.fromEntries(Object.entries(RANGE_KEYS).map(([key, field]) => [field, key])),
  sessionCapSeconds: 'cap',
  searchKeywords: 'search',
};

/** A settings problem ('watchSeconds.max: must be at most 600') in the words typed ('watch.max: …'). */
export function inTypedKeys(problem: string): string {
  return problem.replace(/^\w+/, (field) => KEY_OF_FIELD[field] ?? field);
}

/** One line naming what is wrong with a one-line /new; user text is shortened and escaped. */
export function describeProblem(t: Texts, problem: NewTaskProblem): string {
  const s = (text: string) => shownInput(text) ?? t.hiddenLink;
  const m = t.newTask;
  switch (problem.code) {
    case 'notKeyValue':
      return m.notKeyValue(s(problem.token));
    case 'unknownKey':
      return m.unknownKey(s(problem.key), NEW_TASK_KEYS.join(', '));
    case 'duplicateKey':
      return m.duplicateKey(s(problem.key));
    case 'emptyValue':
      return m.emptyValue(s(problem.key));
    case 'reversedRange':
      return m.reversedRange(problem.key, s(problem.value), s(problem.fixed));
    case 'notRange':
      return m.notRange(problem.key, s(problem.value));
    case 'notCount':
      return m.notCount(problem.key, s(problem.value));
    case 'badCap':
      return m.badCap(s(problem.value));
    case 'unknownPreset':
      return m.unknownPreset(s(problem.value), PRESET_NAMES.join(', '));
    case 'badAccountName':
      return t.badAccountName(s(problem.value));
    case 'tooLong':
      return m.tooLong(problem.key, problem.max);
    case 'missingAccounts':
      return m.missingAccounts;
  }
}

function fail(problem: NewTaskProblem): NewTaskParse {
  return { ok: false, problem };
}
