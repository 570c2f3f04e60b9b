// Telegram's limits, as properties: every builder that lists accounts, runs, tasks or programmes,
// rendered for fleets of 1 to 1 000 accounts with long names and long reasons, is accepted by the
// fake Bot API's own checks (HTML parsed and counted as Telegram does: 4096 for a text, 1024 for a
// caption; keyboards of at most 100 buttons, 8 a row, callback data of 1–64 bytes). And the send
// guard's last cuts (fitHtml, fitPlain, fitKeyboard) always produce what Telegram accepts.
import fc from 'fast-check';
import { Markup } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { formatAccountPage } from '../../../src/bot/commands/account-page/format.ts';
import { accountKeyboard } from '../../../src/bot/commands/account-page/keyboard.ts';
import { formatAccountsPage } from '../../../src/bot/commands/accounts/list.ts';
import { listKeyboard as accountsListKeyboard } from '../../../src/bot/commands/accounts/list-keyboard.ts';
import { formatCheckAnswer } from '../../../src/bot/commands/check/answer.ts';
import { draftAccountsKeyboard } from '../../../src/bot/commands/new-task/keyboard.ts';
import {
  detailsKeyboard,
  listKeyboard as programmeListKeyboard,
} from '../../../src/bot/commands/programmes/keyboard.ts';
import { formatCalendar, formatCreated, formatList } from '../../../src/bot/commands/programmes/views.ts';
import { resumeButtons } from '../../../src/bot/commands/quarantine/notice.ts';
import { retryQuestion } from '../../../src/bot/commands/retry-failed/retry-failed.ts';
import { buildSummaryData } from '../../../src/bot/commands/summary/summary-data.ts';
import { formatStatsCaption, formatSummary } from '../../../src/bot/commands/summary/summary-text.ts';
import { formatTaskEvent } from '../../../src/bot/commands/tasks/card.ts';
import { formatTaskDetails, formatTaskList } from '../../../src/bot/commands/tasks/details.ts';
import { restartAnywayKeyboard, taskKeyboard } from '../../../src/bot/commands/tasks/keyboard.ts';
import { nextStepButtons, withNextSteps } from '../../../src/bot/commands/tasks/next-steps.ts';
import { formatRestartWarning } from '../../../src/bot/commands/tasks/restart-warning.ts';
import { textsFor } from '../../../src/bot/i18n/index.ts';
import { fitKeyboard } from '../../../src/bot/shared/buttons.ts';
import { fitHtml, fitPlain, MAX_CAPTION, MAX_TEXT } from '../../../src/bot/shared/text-budget.ts';
import type { ProgrammeRow } from '../../../src/db/schema.ts';
import { HEALTH_STATES, PROGRAMME_STATUSES } from '../../../src/db/vocabulary.ts';
import type { TaskEvent } from '../../../src/tasks/events.ts';
import { STATUSES } from '../../../src/tasks/lifecycle.ts';
import type { TaskDetails, TaskPage } from '../../../src/tasks/queries.ts';
import { FAILURE_CODES } from '../../../src/warmup/failure-reasons.ts';
import { formatted, markupOf } from '../../support/fake-bot-api/content.ts';

fc.configureGlobal({ endOnFailure: true });

/** Accepted by the fake Bot API as a text (or a caption) with this keyboard: it throws Telegram's 400 otherwise. */
function accepted(html: string, field: 'text' | 'caption', keyboard?: { reply_markup: unknown }) {
  if (keyboard) markupOf(keyboard.reply_markup);
  const parsed = formatted(html, 'HTML', undefined, field);
  expect(parsed?.[field]).toBeDefined();
  return String(parsed?.[field]);
}

/** Names that tempt a bad cut: markup characters, entities, emoji, long. */
const nasty = (maxLength: number) =>
  fc.string({
    maxLength,
    size: 'max',
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('a', 'z', '_', '.', '7', ' ') },
      { weight: 2, arbitrary: fc.constantFrom('<', '>', '&', '&amp;', '<b>', '"') },
      { weight: 1, arbitrary: fc.constantFrom('😀', '🇺🇦', 'ж', '\u200d') },
    ),
  });

/** A fleet of 1 to 1 000 distinct account names, up to 64 characters, from a few nasty stems. */
const fleet = fc
  .tuple(fc.integer({ min: 1, max: 1000 }), fc.array(nasty(60), { minLength: 1, maxLength: 6 }))
  .map(([n, stems]) => {
    const names = Array.from({ length: n }, (_, i) => `${stems[i % stems.length]}${i}`);
    // A counterexample names the fleet by its size and stems, not by its 1 000 names.
    return Object.assign(names, { [fc.toStringMethod]: () => `fleet(${n}, ${fc.stringify(stems)})` });
  });
const lang = fc.constantFrom('en' as const, 'ru' as const);
const health = fc.constantFrom(...HEALTH_STATES);
const reason = fc.oneof(fc.constantFrom(...FAILURE_CODES), nasty(80));
const status = fc.constantFrom(...STATUSES);
const when = new Date('2026-06-01T10:00:00Z');
const RUNS = 12;

const programme = (name: string, status: ProgrammeRow['status'], days: number): ProgrammeRow => ({
  id: 2_000_000_000,
  name,
  status,
  ramp: Array.from({ length: days }, (_, i) => (i % 2 ? 'observer' : 'moderate')),
  windows: [
    { from: 600, until: 780 },
    { from: 1080, until: 1350 },
  ],
  timeZone: 'America/Argentina/ComodRivadavia',
  sessionsMin: 1,
  sessionsMax: 12,
  minGapMinutes: 30,
  rampByPlatform: false,
  startDate: '2026-05-01',
  seed: 1,
  chatId: 1,
  createdBy: 1,
  createdAt: when,
  updatedAt: when,
});

describe('every builder, for fleets of 1 to 1 000 accounts (property)', () => {
  it('the restart warning and its buttons', () => {
    fc.assert(
      fc.property(lang, fleet, fc.array(health, { minLength: 1 }), fc.nat(1000), (l, names, h, healthy) => {
        const t = textsFor(l);
        const unwell = names.map((username, i) => ({ username, health: h[i % h.length]! }));
        const text = accepted(
          formatRestartWarning(t, 2_000_000_000, unwell, healthy),
          'text',
          restartAnywayKeyboard(t, 2_000_000_000, 'failed', healthy > 0),
        );
        expect(text.endsWith(t.nextSteps.warningChoice(healthy))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('a task notice (text and caption), its buttons and Resume buttons', () => {
    fc.assert(
      fc.property(
        lang,
        fleet,
        fc.array(reason, { minLength: 1, maxLength: 5 }),
        nasty(300),
        (l, names, r, name) => {
          const t = textsFor(l);
          const failures = names.map((account, i) => ({
            runId: i,
            account,
            code: r[i % r.length]!,
            message: 'x'.repeat(300),
          }));
          const n = names.length;
          const event: TaskEvent = {
            type: 'failed',
            taskId: 2_000_000_000,
            taskName: name,
            runNumber: 99,
            status: 'failed',
            chatId: 1,
            actorId: null,
            runs: { pending: 0, running: 0, completed: 0, failed: n, cancelled: 0, total: n },
            startedAt: null,
            completedAt: null,
            durationMs: 10 ** 9,
            failures,
            screenshotRunId: null,
            quarantined: names.map((account, i) => ({
              runId: i,
              accountId: i + 1,
              account,
              reason: 'captcha',
            })),
            at: when.toISOString(),
          };
          const keyboard = withNextSteps(
            taskKeyboard(t, event.taskId, 'failed', { failed: n, cancelled: 0 }, ['refresh']),
            nextStepButtons(t, failures),
          );
          const rows = [...resumeButtons(t, event.quarantined), ...keyboard.reply_markup.inline_keyboard];
          const markup = { reply_markup: { inline_keyboard: rows } };
          accepted(formatTaskEvent(t, event, name), 'text', markup);
          accepted(formatTaskEvent(t, event, name, MAX_CAPTION), 'caption', markup);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('/task details, and a /list page', () => {
    fc.assert(
      fc.property(lang, fleet, reason, nasty(300), status, (l, names, code, name, s) => {
        const t = textsFor(l);
        const d = {
          task: {
            id: 2_000_000_000,
            name,
            status: s,
            runNumber: 99,
            createdAt: when,
            startedAt: when,
            completedAt: null,
            createdBy: 1,
            restartedBy: 2,
          },
          runs: names.map((username, i) => ({
            status: STATUSES[i % STATUSES.length],
            username,
            counters: { itemsViewed: 10 ** 6, watchSeconds: 10 ** 7, likes: 999, follows: 999 },
            startedAt: when,
            completedAt: when,
            reasonCode: code,
            reasonMessage: 'y'.repeat(400),
            cappedByTime: true,
          })),
          history: [],
          log: names.slice(0, 40).map((account) => ({ at: when, account, line: 'z'.repeat(400) })),
        } as unknown as TaskDetails;
        accepted(formatTaskDetails(t, d, new Map([[1, name]]), when), 'text');
        const page = {
          page: 99_999,
          pages: 99_999,
          total: 10 ** 6,
          hasNext: true,
          items: names.slice(0, 10).map((n, i) => ({
            id: 2_000_000_000 - i,
            name: n + name,
            status: s,
            runsFailed: 1000,
            runsTotal: 1000,
            updatedAt: when,
          })),
        } as unknown as TaskPage;
        accepted(formatTaskList(t, page, s, when), 'text');
      }),
      { numRuns: RUNS },
    );
  });

  it('programmes: the creation summary, /plans and one programme’s calendar, with their buttons', () => {
    const programmeStatus = fc.constantFrom(...PROGRAMME_STATUSES);
    fc.assert(
      fc.property(lang, fleet, programmeStatus, fc.integer({ min: 1, max: 60 }), (l, names, s, days) => {
        const t = textsFor(l);
        // Programme names are validated (/plan name=…): 64 characters of letters, digits, _ . -
        const p = programme('p'.repeat(64), s, days);
        accepted(formatCreated(t, p, names, when), 'text', detailsKeyboard(t, p));
        const rows = names.slice(0, 10).map((n, i) => ({
          programme: { ...p, id: 2_000_000_000 - i, name: n },
          day: days,
          accounts: names.length,
          quarantined: names.length,
          nextAt: when,
        }));
        accepted(
          formatList(t, rows),
          'text',
          programmeListKeyboard(
            t,
            rows.map((r) => r.programme),
          ),
        );
        const day = (d: number) => ({
          day: d,
          date: '2026-05-01',
          preset: 'moderate',
          planned: 12_000,
          created: 12_000,
          skipped: { missed: 1000, quarantined: 1000, paused: 1000, stopped: 1000, removed: 1000 },
        });
        const view = {
          day: days,
          upcoming: [1, 2, 3].map(day),
          history: Array.from({ length: days }, (_, i) => day(i + 1)),
          members: names.map((username) => ({ username, quarantined: true, fromDay: 1, untilDay: null })),
        };
        accepted(formatCalendar(t, p, view), 'text', detailsKeyboard(t, p));
      }),
      { numRuns: RUNS },
    );
  });

  it('an account’s page, and /accounts', () => {
    fc.assert(
      fc.property(lang, fleet, health, (l, names, h) => {
        const t = textsFor(l);
        const page = {
          account: {
            username: names[0]!,
            health: h,
            healthUpdatedAt: when,
            identity: null,
            browser: 'cdp',
            browserProfile: { provider: 'dolphin', profileId: 'p'.repeat(64) },
            quarantinedAt: when,
            quarantineReason: h,
          },
          programmes: names.map((name, i) => ({ name, status: PROGRAMME_STATUSES[i % 4]! })),
          runs: Array.from({ length: 10 }, (_, i) => ({
            taskId: 2_000_000_000 - i,
            status: 'failed',
            counters: { itemsViewed: 10 ** 6, watchSeconds: 10 ** 7, likes: 999, follows: 999 },
            reasonCode: 'proxy_error',
            startedAt: when,
            completedAt: when,
            updatedAt: when,
          })),
        };
        accepted(
          formatAccountPage(t, page, when),
          'text',
          accountKeyboard(t, { id: 2_000_000_000, quarantined: true, hasRun: true }),
        );
        // One page of /accounts: twenty rows at most, whatever the fleet; every tag in use a button.
        const rows = names.slice(0, 20).map((username, i) => ({
          id: i + 1,
          username,
          platform: 'p'.repeat(32),
          tags: Array.from({ length: 10 }, (_, k) => `${'t'.repeat(30)}${k}`),
          health: h,
          proxyHost: `${'h'.repeat(60)}.example:8080`,
          hasLogin: true,
          lastWarmedAt: when,
          quarantinedAt: when,
          quarantineReason: 'captcha',
          identity: null,
          browser: 'cdp',
          browserProfile: { provider: 'dolphin', profileId: 'p'.repeat(64) },
        }));
        const healthCounts = Object.fromEntries(HEALTH_STATES.map((x) => [x, names.length * 1000])) as Record<
          (typeof HEALTH_STATES)[number],
          number
        >;
        const tags = names.map((_, k) => ({ tag: `${'g'.repeat(28)}${k}`, n: k + 1 }));
        const pages = Math.max(1, Math.ceil(names.length / 20));
        const view = { page: pages, health: h, tag: tags[0]?.tag };
        const fleetPage = { rows, page: pages, pages, pageSize: 20, total: names.length, healthCounts, tags };
        accepted(
          formatAccountsPage(t, fleetPage as never, view, when),
          'text',
          accountsListKeyboard(t, { view, pages, healthCounts, tags }),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('the daily summary (as a text and, when it fits, as the chart’s caption), /stats', () => {
    fc.assert(
      fc.property(lang, fleet, fc.array(reason, { maxLength: 30 }), (l, names, reasons) => {
        const t = textsFor(l, 'Pacific/Chatham');
        const data = buildSummaryData(
          reasons.map((r, i) => ({
            day: '2026-06-01',
            recent: i % 2 === 0,
            status: 'failed' as const,
            reason: r,
            n: 10 ** 6,
          })),
          '2026-06-01',
          90,
        );
        const attention = names.map((username, i) => ({
          id: i + 1,
          username,
          health: 'captcha',
          quarantinedAt: i % 2 ? when : null,
          quarantineReason: 'captcha',
        }));
        const programmes = names.slice(0, 200).map((name) => ({
          name,
          status: 'active',
          rampLength: 60,
          day: 30,
          skipped: { missed: 1000, quarantined: 1000 },
        }));
        const { text, keyboard } = formatSummary(t, { data, attention, programmes, now: when });
        accepted(text, 'text', keyboard);
        accepted(formatStatsCaption(t, data), 'caption');
      }),
      { numRuns: RUNS },
    );
  });

  it('a check’s answer as a caption, the guided /new’s accounts, the retry question', () => {
    fc.assert(
      fc.property(lang, fleet, nasty(2000), fc.option(reason, { nil: null }), (l, names, message, r) => {
        const t = textsFor(l);
        for (const reachable of [true, false]) {
          const answer = {
            chatId: 1,
            actorId: 1,
            account: names[0]!,
            reachable,
            verdict: r ?? 'captcha',
            message,
            health: 'captcha',
            screenshot: null,
          };
          accepted(formatCheckAnswer(t, answer), 'caption');
        }
        const choices = names
          .slice(0, 20)
          .map((username, i) => ({ id: 2_000_000_000 - i, username, healthy: i % 2 === 0, selected: true }));
        markupOf(draftAccountsKeyboard(t, choices, 2, 99).reply_markup);
        const window = { reason: 'navigation_timeout' as const, since: 1_700_000_000, until: 1_702_592_001 };
        const q = retryQuestion(t, { runs: names.length, tasks: names.length, paused: names.length }, window);
        accepted(q.text, 'text', q.keyboard);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the send guard’s last cuts (property)', () => {
  const html = fc
    .array(
      fc.oneof(
        nasty(300).map((s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')),
        nasty(80).map(
          (s) => `<b>${s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</b>`,
        ),
        fc.constant('<blockquote>one\ntwo</blockquote>'),
        fc.constant(''),
      ),
      { maxLength: 60 },
    )
    .map((lines) => lines.join('\n'))
    .filter((s) => s.trim() !== '');

  it('fitHtml keeps what fits, cuts the rest at a line, and Telegram accepts it', () => {
    fc.assert(
      fc.property(html, fc.constantFrom(MAX_TEXT, MAX_CAPTION, 200, 1), (source, max) => {
        const fitted = fitHtml(source, max);
        const parsed = formatted(fitted, 'HTML', undefined, 'text');
        if (parsed) expect([...String(parsed.text)].length).toBeLessThanOrEqual(max);
        if (fitted !== source && max > 2) expect(fitted.endsWith('…')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('fitPlain keeps plain text within the limit', () => {
    fc.assert(
      fc.property(nasty(6000), fc.constantFrom(MAX_TEXT, 200, 1), (text, max) => {
        expect(fitPlain(text, max).length).toBeLessThanOrEqual(max);
      }),
      { numRuns: 100 },
    );
  });

  it('fitKeyboard keeps 100 buttons, 8 a row, valid data, within the size Telegram takes', () => {
    const data = fc.oneof(fc.string({ maxLength: 70 }), fc.constant(''), fc.constant('ж'.repeat(33)));
    const rows = fc.array(
      fc.array(
        fc
          .record({ text: fc.string({ minLength: 1, maxLength: 80 }), data })
          .map((b) => Markup.button.callback(b.text, b.data)),
        { maxLength: 20 },
      ),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(rows, (given) => {
        const fitted = fitKeyboard(given);
        markupOf({ inline_keyboard: fitted.rows });
        const valid = given
          .flat()
          .filter((b) => b.callback_data !== '' && Buffer.byteLength(b.callback_data) <= 64);
        expect(fitted.badData.length).toBe(given.flat().length - valid.length);
        // Nothing valid is lost while there is room; what is kept keeps its order.
        const kept = fitted.rows.flat();
        expect(kept).toEqual(valid.slice(0, kept.length));
        expect(kept.length + fitted.dropped).toBe(valid.length);
      }),
      { numRuns: 200 },
    );
  });
});
