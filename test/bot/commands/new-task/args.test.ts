// The one-line /new parser: every knob, quoting, and one specific problem for each kind of bad input.
import { describe, expect, it } from 'vitest';
import {
  describeProblem,
  inTypedKeys,
  type NewTaskParse,
  parseNewTaskArgs,
} from '../../../../src/bot/commands/new-task/args.ts';
import { en } from '../../../../src/bot/i18n/en.ts';
import { ru } from '../../../../src/bot/i18n/ru.ts';

const ok = (text: string) => {
  const parsed = parseNewTaskArgs(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse, got ${JSON.stringify(parsed.problem)}`);
  return parsed.args;
};
const problemOf = (parsed: NewTaskParse) => (parsed.ok ? undefined : parsed.problem);

describe('parseNewTaskArgs', () => {
  it('maps every knob to its settings field', () => {
    const args = ok(
      'name=evening accounts=@Alice,bob,alice preset=Light scrolls=5-15 videos=2 watch=1-1 likes=0–3 ' +
        'follows=0..1 comments=0 delay=0-0 parallel=2 cap=20m search=cats,funny',
    );
    expect(args).toEqual({
      name: 'evening',
      accounts: ['alice', 'bob'],
      preset: 'light',
      overrides: {
        scrolls: { min: 5, max: 15 },
        videos: { min: 2, max: 2 },
        watchSeconds: { min: 1, max: 1 },
        likes: { min: 0, max: 3 },
        follows: { min: 0, max: 1 },
        comments: { min: 0, max: 0 },
        delaySeconds: { min: 0, max: 0 },
        parallel: 2,
        sessionCapSeconds: 1200,
        searchKeywords: ['cats', 'funny'],
      },
    });
  });

  it('reads quoted values with spaces, accounts=all, and caps in seconds or hours', () => {
    expect(ok('name="night shift" accounts=all search=«funny cats,dogs» cap=90s')).toMatchObject({
      name: 'night shift',
      accounts: 'all',
      overrides: { searchKeywords: ['funny cats', 'dogs'], sessionCapSeconds: 90 },
    });
    expect(ok('accounts=a1 cap=1h').overrides.sessionCapSeconds).toBe(3600);
    expect(ok('name=“smart quotes” accounts=a1').name).toBe('smart quotes');
    // Names of existing accounts are looked up, not judged: one letter is fine here.
    expect(ok('accounts=a,b').accounts).toEqual(['a', 'b']);
  });

  it.each([
    ['likes=5-2 accounts=a1', { code: 'reversedRange', key: 'likes', value: '5-2', fixed: '2-5' }],
    ['accounts=a1 watch=30–10', { code: 'reversedRange', key: 'watch', value: '30–10', fixed: '10–30' }],
    ['accounts=a1 likes=lots', { code: 'notRange', key: 'likes', value: 'lots' }],
    ['accounts=a1 likes=-1', { code: 'notRange', key: 'likes', value: '-1' }],
    ['accounts=a1 speed=9', { code: 'unknownKey', key: 'speed' }],
    ['accounts=a1 likes=1 likes=2', { code: 'duplicateKey', key: 'likes' }],
    ['accounts=a1 Likes=1 likes=2', { code: 'duplicateKey', key: 'likes' }],
    ['accounts=a1 likes=', { code: 'emptyValue', key: 'likes' }],
    ['accounts=a1 bogus', { code: 'notKeyValue', token: 'bogus' }],
    ['accounts=a1 preset=turbo', { code: 'unknownPreset', value: 'turbo' }],
    ['accounts=a1 parallel=1-2', { code: 'notCount', key: 'parallel', value: '1-2' }],
    ['accounts=a1 cap=30', { code: 'badCap', value: '30' }],
    ['accounts=a1 cap=5d', { code: 'badCap', value: '5d' }],
    ['accounts=a1 search=,', { code: 'emptyValue', key: 'search' }],
    ['accounts=bad!name', { code: 'badAccountName', value: 'bad!name' }],
    ['accounts=,', { code: 'emptyValue', key: 'accounts' }],
    [`accounts=a1 name=${'x'.repeat(101)}`, { code: 'tooLong', key: 'name', max: 100 }],
    ['preset=light likes=1', { code: 'missingAccounts' }],
  ])('%s → %o', (text, problem) => {
    expect(problemOf(parseNewTaskArgs(text))).toEqual(problem);
  });

  it('reports the first problem in the order typed', () => {
    expect(problemOf(parseNewTaskArgs('likes=5-2'))).toMatchObject({ code: 'reversedRange' });
    expect(problemOf(parseNewTaskArgs('speed=1 likes=5-2'))).toMatchObject({ code: 'unknownKey' });
  });
});

describe('describeProblem', () => {
  it('words each problem in one line, in English and Russian', () => {
    const reversed = { code: 'reversedRange', key: 'likes', value: '5-2', fixed: '2-5' } as const;
    expect(describeProblem(en, reversed)).toBe(
      'likes=5-2: the first number is larger than the second; write likes=2-5.',
    );
    expect(describeProblem(ru, reversed)).toBe('likes=5-2: первое число больше второго; напишите likes=2-5.');
    expect(describeProblem(en, { code: 'unknownKey', key: 'speed' })).toContain('"speed" is not a setting');
    expect(describeProblem(en, { code: 'unknownPreset', value: 'turbo' })).toBe(
      'There is no preset "turbo". Presets: observer, light, moderate, active.',
    );
  });

  it('escapes and shortens what the user typed', () => {
    const text = describeProblem(en, { code: 'notKeyValue', token: `<b>${'y'.repeat(100)}` });
    expect(text).toContain('&lt;b&gt;');
    expect(text).not.toContain('y'.repeat(50));
    expect(text.split('\n')).toHaveLength(1);
  });
});

it('inTypedKeys names settings problems by the keys a user types', () => {
  expect(inTypedKeys('watchSeconds.max: must be at most 600')).toBe('watch.max: must be at most 600');
  expect(inTypedKeys('sessionCapSeconds: must be at most 14400')).toBe('cap: must be at most 14400');
  expect(inTypedKeys('likes: 5 likes need at least 5 videos')).toBe('likes: 5 likes need at least 5 videos');
});
