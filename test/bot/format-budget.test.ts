// Text budgets, as properties: whatever the task's size, account names, reasons and log lines,
// every builder's result parses under Telegram's HTML rules (the fake Bot API's parser) and fits
// what Telegram counts after parsing: 4096 characters for a text, 1024 for a caption.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTaskEvent } from '../../src/bot/commands/tasks/card.ts';
import { formatTaskDetails, formatTaskList } from '../../src/bot/commands/tasks/details.ts';
import { textsFor } from '../../src/bot/i18n/index.ts';
import { MAX_CAPTION, MAX_TEXT } from '../../src/bot/shared/text-budget.ts';
import type { TaskEvent } from '../../src/tasks/events.ts';
import { STATUSES } from '../../src/tasks/lifecycle.ts';
import type { TaskDetails, TaskPage } from '../../src/tasks/queries.ts';
import { parseHtml } from '../support/fake-bot-api/html.ts';

// Shrinking counterexamples this large takes minutes; the first failing case says enough.
fc.configureGlobal({ endOnFailure: true });

/** Text that tempts a bad cut: markup characters, entities, emoji (surrogate pairs), newlines. */
const nasty = (maxLength: number) =>
  fc.string({
    maxLength,
    size: 'max', // lengths over the whole range, not only short ones: long is where cuts happen
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'z', ' ', '_', '.', '7') },
      { weight: 2, arbitrary: fc.constantFrom('<', '>', '&', '&amp;', '<code>', '</b>', '"', '\n') },
      { weight: 1, arbitrary: fc.constantFrom('😀', '🇺🇦', 'ж', 'é', '\u200d') },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 2 }) },
    ),
  });

const lang = fc.constantFrom('en' as const, 'ru' as const);
const status = fc.constantFrom(...STATUSES);

const failure = fc.record({
  runId: fc.nat(),
  account: nasty(40),
  platform: fc.option(nasty(40), { nil: null }),
  code: fc.option(nasty(80), { nil: null }),
  message: fc.option(nasty(400), { nil: null }),
});

const event = fc.record({
  type: fc.constantFrom('started', 'progress', 'completed', 'failed', 'cancelled', 'restarted' as const),
  taskId: fc.integer({ min: 1, max: 10_000_000 }),
  taskName: nasty(300),
  runNumber: fc.integer({ min: 1, max: 50 }),
  status,
  chatId: fc.constant(1),
  actorId: fc.constant(null),
  runs: fc.record({
    pending: fc.nat(500),
    running: fc.nat(500),
    completed: fc.nat(500),
    failed: fc.nat(500),
    cancelled: fc.nat(500),
    total: fc.nat(2000),
  }),
  startedAt: fc.constant(null),
  completedAt: fc.constant(null),
  durationMs: fc.option(fc.nat(10 ** 9), { nil: null }),
  failures: fc.array(failure, { maxLength: 80, size: 'max' }),
  screenshotRunId: fc.constant(null),
  quarantined: fc.array(
    fc.record({
      runId: fc.nat(),
      accountId: fc.nat(),
      account: nasty(40),
      reason: fc.constantFrom('captcha', 'blocked', 'logged_out', 'something_new'),
    }),
    { maxLength: 60 },
  ),
  at: fc.constant('2026-01-01T00:00:00.000Z'),
}) as fc.Arbitrary<TaskEvent>;

const when = fc.option(
  fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
  {
    nil: null,
  },
);
const run = fc.record({
  status,
  username: nasty(40),
  counters: fc.dictionary(
    fc.constantFrom('itemsViewed', 'watchSeconds', 'likes', 'follows'),
    fc.nat(10 ** 6),
  ),
  startedAt: when,
  completedAt: when,
  reasonCode: fc.option(nasty(80), { nil: null }),
  reasonMessage: fc.option(nasty(400), { nil: null }),
  cappedByTime: fc.boolean(),
});
const details = fc.record({
  task: fc.record({
    id: fc.integer({ min: 1, max: 10_000_000 }),
    name: nasty(300),
    status,
    runNumber: fc.integer({ min: 1, max: 50 }),
    createdAt: fc.constant(new Date('2026-01-01')),
    startedAt: when,
    completedAt: when,
    createdBy: fc.option(fc.nat(), { nil: null }),
    restartedBy: fc.option(fc.nat(), { nil: null }),
  }),
  runs: fc.array(run, { maxLength: 120, size: 'max' }),
  history: fc.constant([]),
  log: fc.array(fc.record({ at: fc.constant(new Date()), account: nasty(40), line: nasty(400) }), {
    maxLength: 40,
  }),
}) as unknown as fc.Arbitrary<TaskDetails>;

/** Accepted by Telegram: parses, and the parsed text fits. */
function accepted(html: string, max: number) {
  const parsed = parseHtml(html);
  expect(parsed.text.length).toBeLessThanOrEqual(max);
  return parsed;
}

describe('text budgets (property tests)', () => {
  it('a task event as a text or a caption always parses and fits', () => {
    fc.assert(
      fc.property(lang, event, nasty(60), (l, e, actor) => {
        accepted(formatTaskEvent(textsFor(l), e, actor || undefined), MAX_TEXT);
        accepted(formatTaskEvent(textsFor(l), e, actor || undefined, MAX_CAPTION), MAX_CAPTION);
      }),
      { numRuns: 300 },
    );
  });

  it('task details always parse and fit', () => {
    fc.assert(
      fc.property(lang, details, fc.dictionary(fc.nat().map(String), nasty(60)), (l, d, names) => {
        const byId = new Map(Object.entries(names).map(([k, v]) => [Number(k), v]));
        accepted(formatTaskDetails(textsFor(l), d, byId, new Date('2026-06-01')), MAX_TEXT);
      }),
      { numRuns: 200 },
    );
  });

  it('a task list page always parses and fits', () => {
    const item = fc.record({
      id: fc.nat(),
      name: nasty(300),
      status,
      runsFailed: fc.nat(99),
      runsTotal: fc.nat(99),
    });
    const page = fc.record({
      page: fc.nat(),
      pages: fc.nat(),
      total: fc.integer({ min: 1 }),
      items: fc.array(item, { maxLength: 10 }),
    });
    fc.assert(
      fc.property(
        lang,
        page as unknown as fc.Arbitrary<TaskPage>,
        fc.option(status, { nil: undefined }),
        (l, p, s) => {
          accepted(formatTaskList(textsFor(l), p, s), MAX_TEXT);
        },
      ),
    );
  });
});

describe('a task with 60 failed accounts, 24-character names and 300-character reasons', () => {
  const t = textsFor('en');
  const name = (i: number) => `account_${String(i).padStart(16, '0')}`; // 24 characters
  const reason = (i: number) =>
    `${'the login page asked for a captcha & <then> refused: '.repeat(6)}`.slice(0, 299) + String(i % 10);

  it('its failure notice parses and fits as a caption and as a text, naming how many were left out', () => {
    const e: TaskEvent = {
      type: 'failed',
      taskId: 42,
      taskName: 'morning warmup',
      runNumber: 1,
      status: 'failed',
      chatId: 1,
      actorId: null,
      runs: { pending: 0, running: 0, completed: 0, failed: 60, cancelled: 0, total: 60 },
      startedAt: null,
      completedAt: null,
      durationMs: 600_000,
      failures: Array.from({ length: 60 }, (_, i) => ({
        runId: i,
        account: name(i),
        code: 'captcha',
        message: reason(i),
      })),
      screenshotRunId: null,
      // A captcha wave: every account paused at once.
      quarantined: Array.from({ length: 60 }, (_, i) => ({
        runId: i,
        accountId: i + 1,
        account: name(i),
        reason: 'captcha',
      })),
      at: '2026-01-01T00:00:00.000Z',
    };
    const caption = accepted(formatTaskEvent(t, e, undefined, MAX_CAPTION), MAX_CAPTION);
    expect(caption.text).toContain(`${name(0)} is paused in all programmes`);
    expect(caption.text).toContain('…and 57 more accounts paused');
    expect(caption.text).toContain(name(0));
    expect(caption.text).toMatch(/…and \d+ more\.$/);
    const text = accepted(formatTaskEvent(t, e, undefined), MAX_TEXT);
    expect(text.text).toMatch(/…and \d+ more\.$/);
  });

  it('its /task details parse and fit', () => {
    const d = {
      task: {
        id: 42,
        name: 'morning warmup',
        status: 'failed',
        runNumber: 1,
        createdAt: new Date('2026-01-01'),
        startedAt: new Date('2026-01-01'),
        completedAt: new Date('2026-01-01T00:10:00Z'),
        createdBy: null,
        restartedBy: null,
      },
      runs: Array.from({ length: 60 }, (_, i) => ({
        status: 'failed',
        username: name(i),
        counters: { itemsViewed: 3, watchSeconds: 40 },
        startedAt: null,
        completedAt: null,
        reasonCode: 'captcha',
        reasonMessage: reason(i),
        cappedByTime: false,
      })),
      history: [],
      log: Array.from({ length: 8 }, (_, i) => ({ at: new Date(), account: name(i), line: reason(i) })),
    } as unknown as TaskDetails;
    const parsed = accepted(formatTaskDetails(t, d, new Map()), MAX_TEXT);
    expect(parsed.text).toContain(name(0));
    expect(parsed.text).toMatch(/…and \d+ more\.$/);
  });
});
