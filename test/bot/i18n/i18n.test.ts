// The texts per language: every builder rendered in Russian holds no English word outside
// commands, names and placeholders; ru.ts and en.ts have the same keys and parameters; plurals,
// durations, reasons with their next step, and times in the team's timezone.
import { describe, expect, it } from 'vitest';
import { formatAccountPage } from '../../../src/bot/commands/account-page/format.ts';
import { accountKeyboard } from '../../../src/bot/commands/account-page/keyboard.ts';
import { formatAccountsPage } from '../../../src/bot/commands/accounts/list.ts';
import { listKeyboard as accountsKeyboard } from '../../../src/bot/commands/accounts/list-keyboard.ts';
import { botCommands } from '../../../src/bot/commands/help/help.ts';
import { resumeButtons } from '../../../src/bot/commands/quarantine/notice.ts';
import { chartSpec } from '../../../src/bot/commands/summary/chart.ts';
import { buildSummaryData } from '../../../src/bot/commands/summary/summary-data.ts';
import { formatStatsCaption, formatSummary } from '../../../src/bot/commands/summary/summary-text.ts';
import { formatTaskEvent } from '../../../src/bot/commands/tasks/card.ts';
import { formatTaskDetails, formatTaskList } from '../../../src/bot/commands/tasks/details.ts';
import {
  listKeyboard,
  restartAnywayKeyboard,
  taskKeyboard,
} from '../../../src/bot/commands/tasks/keyboard.ts';
import { nextStepButtons } from '../../../src/bot/commands/tasks/next-steps.ts';
import { en } from '../../../src/bot/i18n/en.ts';
import { textsFor } from '../../../src/bot/i18n/index.ts';
import { ago, dateTime, number } from '../../../src/bot/i18n/intl.ts';
import { ru } from '../../../src/bot/i18n/ru.ts';
import { formatCounters, formatDuration } from '../../../src/bot/shared/wording.ts';
import { HEALTH_STATES } from '../../../src/db/vocabulary.ts';
import type { TaskEvent } from '../../../src/tasks/events.ts';
import type { FleetPage } from '../../../src/tasks/fleet/list.ts';
import { STATUSES } from '../../../src/tasks/lifecycle.ts';
import type { TaskDetails, TaskPage } from '../../../src/tasks/queries.ts';
import { FAILURE_CODES } from '../../../src/warmup/failure-reasons.ts';
import { programmeSamples } from '../commands/programmes/samples.ts';

// Names the user chose (task names, usernames) may be English; they are taken out before checking.
const NAMES = ['morning warmup', 'carol', 'alice', 'bob', 'spring'];
// Proper names and a file format, written the same in Russian.
const ALLOWED = new Set(['TikTok', 'Telegram', 'JSON', 'Playwright']);
// Words typed as arguments of a command (/restart 42 failed, /grant 1 operator).
// (/retry_failed captcha: failure codes are arguments too.)
const ARGUMENT = String.raw`\d+|<[^>]*>|\[[^\]]*\]|pending|running|completed|failed|cancelled|viewer|operator|admin|reset|${FAILURE_CODES.join('|')}`;

/** The Latin words of 4+ letters a Russian reader would see outside commands, names and placeholders. */
function englishWords(html: string): string[] {
  let text = html
    .replace(/<code>[\s\S]*?<\/code>/g, ' ') // technical detail: the log section only
    .replace(/<[^>]*>/g, ' ')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
  for (const name of NAMES) text = text.replaceAll(name, ' ');
  text = text.replace(/\b[A-Z][a-z]+\/[A-Z][A-Za-z_]+\b/g, ' '); // IANA zone names: Europe/Moscow
  text = text
    .replace(/\S+:\/\/\S*/g, ' ') // URLs in examples
    .replace(new RegExp(String.raw`\/\w+((\s+(${ARGUMENT}))(?=[\s.,;)]|$))*`, 'g'), ' ') // commands and their arguments
    .replace(/<[^>]*>|\[[^\]]*\]/g, ' ') // placeholders: <username>, [page]
    .replace(/\b\w*[a-z][A-Z]\w*/g, ' ') // identifiers: storageState
    .replace(/@\w+/g, ' ')
    .replace(/\S*[=_]\S*/g, ' ') // key=value arguments, setting names
    .replace(/\w+(\|\w+)+/g, ' ') // viewer|operator|admin: argument choices
    .replace(/\S*\w\.\w\S*/g, ' '); // hosts: proxy.example:8080, .tiktok.com
  return (text.match(/[A-Za-z]{4,}/g) ?? []).filter((w) => !ALLOWED.has(w));
}

const event = (over: Partial<TaskEvent>): TaskEvent => ({
  type: 'failed',
  taskId: 7,
  taskName: 'morning warmup',
  runNumber: 2,
  status: 'failed',
  chatId: 1,
  actorId: 1,
  runs: { pending: 0, running: 0, completed: 1, failed: FAILURE_CODES.length + 2, cancelled: 0, total: 21 },
  startedAt: null,
  completedAt: null,
  durationMs: 252_000,
  failures: [...FAILURE_CODES, 'something_new', 'toString', '__proto__', null].map((code, i) => ({
    runId: i,
    account: 'carol',
    code,
    message: 'the account is logged out (selectors.loggedOut is visible on http://feed.test/feed)',
  })),
  screenshotRunId: null,
  at: '2026-12-01T09:58:23.000Z',
  ...over,
});

const details = (over: Partial<TaskDetails['task']> = {}) =>
  ({
    task: {
      id: 7,
      name: 'morning warmup',
      status: 'failed',
      runNumber: 2,
      createdAt: new Date('2026-12-01T09:58:23Z'),
      startedAt: new Date('2026-12-01T10:00:00Z'),
      completedAt: new Date('2026-12-01T10:04:12Z'),
      createdBy: 1,
      restartedBy: 1,
      ...over,
    },
    runs: [
      ...STATUSES.map((status) => ({
        status,
        username: 'alice',
        counters: {
          itemsViewed: 3,
          watchSeconds: 40,
          likes: 1,
          follows: 1,
          comments: 1,
          searches: 1,
          scrolls: 4,
        },
        startedAt: new Date('2026-12-01T10:00:00Z'),
        completedAt: new Date('2026-12-01T10:01:05Z'),
        reasonCode: status === 'failed' ? 'logged_out' : null,
        reasonMessage: status === 'failed' ? 'selectors.loggedOut is visible on http://feed.test/feed' : null,
        cappedByTime: status === 'completed',
      })),
    ],
    history: [],
    log: [{ at: new Date(), account: 'alice', line: 'navigation to http://feed.test/feed' }],
  }) as unknown as TaskDetails;

const page = (total: number) =>
  ({
    items: STATUSES.map((status, i) => ({
      id: i + 1,
      name: 'morning warmup',
      status,
      runsFailed: 1,
      runsTotal: 21,
      updatedAt: new Date(Date.now() - (i + 1) * 3_600_000),
    })),
    page: 1,
    pages: 2,
    total,
  }) as unknown as TaskPage;

/** Every message a builder makes, in the given texts, with sample data covering each branch. */
function renderAll(t: typeof en): string[] {
  const out: string[] = [];
  for (const type of ['started', 'progress', 'completed', 'failed', 'cancelled', 'restarted'] as const) {
    const status =
      type === 'started' || type === 'progress' ? 'running' : type === 'restarted' ? 'pending' : type;
    out.push(formatTaskEvent(t, event({ type, status }), '@bob'));
  }
  for (const status of STATUSES) out.push(formatTaskDetails(t, details({ status }), new Map([[1, '@bob']])));
  out.push(formatTaskList(t, page(12), undefined), formatTaskList(t, page(0), undefined));
  for (const status of STATUSES) out.push(formatTaskList(t, page(0), status));
  out.push(formatCounters(t, { itemsViewed: 2, watchSeconds: 2, likes: 1, follows: 1, scrolls: 12 }));
  out.push(...renderAccountsPages(t));
  out.push([t.help.intro, ...t.help.viewer, ...t.help.operator, ...t.help.admin].join('\n'));
  out.push(...renderSummaries(t));
  for (const role of ['viewer', 'operator', 'admin'] as const)
    out.push(t.help.role(t.roles[role]), t.forbidden(t.roles[role]));
  out.push(...botCommands(t).map((c) => c.description));
  for (const status of STATUSES) {
    const kb = taskKeyboard(t, 7, status, { failed: 1, cancelled: 1 });
    out.push(...kb.reply_markup.inline_keyboard.flat().map((b) => b.text));
  }
  out.push(...programmeSamples(t));
  // Quarantine: the notice's line per reason, its Resume button; the account page; /retry_failed.
  const quarantined = ['captcha', 'blocked', 'logged_out', 'something_new'].map((reason, i) => ({
    runId: i,
    accountId: i + 1,
    account: 'carol',
    reason,
  }));
  for (const some of [quarantined, quarantined.slice(3)])
    out.push(formatTaskEvent(t, event({ quarantined: some }), '@bob'));
  out.push(
    ...resumeButtons(t, quarantined)
      .flat()
      .map((b) => b.text),
  );
  const at = new Date('2026-12-01T09:58:23Z');
  const run = (status: string) => ({
    taskId: 7,
    status,
    counters: { itemsViewed: 2, watchSeconds: 30, likes: 1 },
    reasonCode: status === 'failed' ? 'captcha' : null,
    startedAt: status === 'pending' ? null : at,
    completedAt: status === 'running' || status === 'pending' ? null : at,
    updatedAt: at,
  });
  for (const paused of [true, false]) {
    const account = {
      username: 'carol',
      health: 'captcha' as const,
      healthUpdatedAt: paused ? at : null,
      identity: null,
      browser: 'local',
      browserProfile: null,
      quarantinedAt: paused ? at : null,
      quarantineReason: paused ? 'captcha' : null,
    };
    out.push(
      formatAccountPage(t, {
        account,
        programmes: paused
          ? ['active', 'paused', 'stopped', 'finished'].map((status) => ({ name: 'spring', status }))
          : [],
        runs: paused ? STATUSES.map(run) : [],
      }),
    );
  }
  out.push(
    ...accountKeyboard(t, { id: 1, quarantined: true, hasRun: true })
      .reply_markup.inline_keyboard.flat()
      .map((b) => b.text),
  );
  out.push(
    ...listKeyboard(t, 'failed', page(12))
      .reply_markup.inline_keyboard.flat()
      .map((b) => b.text),
  );
  // The restart warning, its buttons and the answers of "restart the healthy ones".
  const lines = ['logged_out', 'captcha', 'blocked']
    .map((h) => t.restartWarningLine('carol', t.health[h as 'blocked']))
    .concat(t.restartWarningLine('alice', t.nextSteps.quarantined))
    .join('\n');
  for (const healthy of [0, 1, 2, 5, 11, 21]) {
    out.push(`${t.restartWarning(7)}\n${lines}\n${t.nextSteps.warningChoice(healthy)}`);
    out.push(t.nextSteps.restartedHealthy(7, healthy));
  }
  out.push(t.nextSteps.noneHealthy(7));
  for (const scope of ['all', 'failed'] as const)
    for (const offer of [true, false])
      out.push(
        ...restartAnywayKeyboard(t, 7, scope, offer)
          .reply_markup.inline_keyboard.flat()
          .map((b) => b.text),
      );
  out.push(...nextStepButtons(t, [{ account: 'carol', code: 'proxy_error' }]).map((b) => b.text));
  out.push(
    t.task.accounts(12_345, 1_234, 13_579),
    formatCounters(t, { itemsViewed: 1_234, watchSeconds: 45_678.5, likes: 12_345 }),
  );
  // The inbox's age limit and a proxy refused without a key.
  out.push(
    t.inbox.outdated.command('/new', '3h 12m', '10m'),
    t.inbox.outdated.message('11m 2s', '10m'),
    t.inbox.outdated.tap,
    t.inbox.noKeyForProxy,
  );
  return out;
}

/** A sample page of /accounts: every health, quarantine, proxies, tags. */
const accountsPage = (count: number): FleetPage => ({
  rows: HEALTH_STATES.slice(0, count).map((health, i) => ({
    id: i,
    username: 'alice',
    platform: null,
    tags: i % 2 ? ['spring', 'us'] : [],
    health,
    proxyHost: i % 2 ? 'proxy.example:8080' : null,
    hasLogin: i % 2 === 0,
    lastWarmedAt: i % 2 ? new Date('2026-12-01T09:58:23Z') : null,
    quarantinedAt: i === 2 ? new Date('2026-12-01T09:58:23Z') : null,
    quarantineReason: i === 2 ? 'captcha' : null,
    identity: null,
    browser: 'local',
    browserProfile: null,
  })),
  page: 2,
  pages: 3,
  pageSize: 20,
  total: count,
  healthCounts: Object.fromEntries(
    HEALTH_STATES.map((h, i) => [h, i < count ? 1 : 0]),
  ) as FleetPage['healthCounts'],
  tags: Array.from({ length: 30 }, (_, i) => ({ tag: `spring${i}`, n: i + 1 })),
});

/** /accounts: a full page with filters, an empty filter, an empty fleet, and the keyboard. */
function renderAccountsPages(t: typeof en): string[] {
  const page = accountsPage(HEALTH_STATES.length);
  const view = { health: 'captcha' as const, tag: 'spring', page: 2 };
  return [
    formatAccountsPage(t, page, view),
    formatAccountsPage(t, page, { page: 2 }),
    formatAccountsPage(t, { ...accountsPage(0), total: 0, rows: [] }, { tag: 'spring', page: 1 }),
    formatAccountsPage(t, { ...accountsPage(0), total: 0, rows: [], tags: [] }, { page: 1 }),
    ...accountsKeyboard(t, { view, pages: 3, healthCounts: page.healthCounts, tags: page.tags })
      .reply_markup.inline_keyboard.flat()
      .map((b) => b.text),
  ];
}

/** The daily summary, /stats and the chart's words, with every reason and account state. */
function renderSummaries(t: typeof en): string[] {
  const rows = [...FAILURE_CODES, 'something_new', null].flatMap((reason, i) => [
    { day: '2026-12-01', recent: i % 2 === 0, status: 'failed' as const, reason, n: i + 1 },
    { day: '2026-11-30', recent: false, status: 'completed' as const, reason: null, n: 2 },
  ]);
  const data = buildSummaryData(rows, '2026-12-01', 14);
  const summary = (attention: boolean) =>
    formatSummary(t, {
      data,
      now: new Date('2026-12-01T08:00:00Z'),
      attention: attention
        ? HEALTH_STATES.map((health, i) => ({
            id: i,
            username: 'alice',
            health,
            quarantinedAt: i % 2 ? new Date() : null,
            quarantineReason: i % 2 ? 'captcha' : null,
          }))
        : [],
      programmes: ['active', 'paused'].flatMap((status) =>
        // Started 27 Nov, 5 Dec and 1 Oct, seen on 1 Dec: running, not begun, finished.
        [5, -3, 62].map((day) => ({
          name: 'spring',
          status,
          rampLength: 14,
          day,
          skipped: (status === 'active' ? { missed: 2, quarantined: 1 } : {}) as Record<string, number>,
        })),
      ),
    });
  const spec = chartSpec(t, data);
  const full = summary(true);
  return [
    full.text,
    summary(false).text,
    ...(full.keyboard?.reply_markup.inline_keyboard.flat().map((b) => b.text) ?? []),
    formatStatsCaption(t, data),
    formatStatsCaption(t, buildSummaryData([], '2026-12-01', 1)),
    spec.title,
    ...spec.series.map((s) => s.name),
    [...t.chat.help.viewer, ...t.chat.help.operator].join('\n'),
  ];
}

type Leaf = { path: string; value: unknown };
function leaves(value: unknown, path = ''): Leaf[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  }
  return [{ path, value }];
}
/** A leaf as the user would read it: a function called with a sample for each parameter. */
const rendered = (v: unknown): string[] =>
  typeof v === 'function'
    ? [String(v(...Array.from({ length: v.length }, () => 3)))]
    : Array.isArray(v)
      ? v.map(String)
      : [String(v)];

describe('Russian texts', () => {
  it('every builder, rendered in Russian, shows no English word outside names and commands', () => {
    const found = renderAll(ru).flatMap((m) => englishWords(m).map((w) => `${w} in: ${m.slice(0, 80)}`));
    expect(found).toEqual([]);
  });

  it('every text of ru.ts, with sample values, holds no English word outside names and commands', () => {
    const found = leaves(ru)
      .filter((l) => l.path !== 'locale.timeZone')
      .flatMap((l) => rendered(l.value).flatMap((m) => englishWords(m).map((w) => `${l.path}: ${w}`)));
    expect(found).toEqual([]);
  });

  it('the guard sees an English word that slips into a Russian message', () => {
    expect(englishWords('Аккаунт <code>logged_out</code> /restart 42 failed — still logged out')).toEqual([
      'still',
      'logged',
    ]);
    expect(englishWords('Задача /list failed 2: running')).toEqual(['running']);
  });

  it('ru.ts and en.ts have the same keys, each text taking the same number of parameters', () => {
    const shape = (texts: unknown) =>
      leaves(texts).map(
        (l) => `${l.path}:${typeof l.value === 'function' ? `fn/${l.value.length}` : typeof l.value}`,
      );
    expect(shape(ru)).toEqual(shape(en));
  });
});

describe('plurals, durations and times', () => {
  it('counts accounts with the forms of each language', () => {
    const made = (t: typeof en, n: number) => t.newTask.created(1, n, 'light');
    expect([1, 2, 5, 11, 21].map((n) => made(ru, n))).toEqual([
      'Задача #1 создана: 1 аккаунт, пресет light.',
      'Задача #1 создана: 2 аккаунта, пресет light.',
      'Задача #1 создана: 5 аккаунтов, пресет light.',
      'Задача #1 создана: 11 аккаунтов, пресет light.',
      'Задача #1 создана: 21 аккаунт, пресет light.',
    ]);
    expect([1, 2, 5, 11, 21].map((n) => ru.nextSteps.restartedHealthy(7, n))).toEqual([
      'Задача #7 перезапущена для 1 аккаунта.',
      'Задача #7 перезапущена для 2 аккаунтов.',
      'Задача #7 перезапущена для 5 аккаунтов.',
      'Задача #7 перезапущена для 11 аккаунтов.',
      'Задача #7 перезапущена для 21 аккаунта.',
    ]);
    expect([1, 2, 5, 11, 21].map((n) => ru.nextSteps.warningChoice(n).match(/\((.*)\)/)?.[1])).toEqual([
      '1 аккаунт',
      '2 аккаунта',
      '5 аккаунтов',
      '11 аккаунтов',
      '21 аккаунт',
    ]);
    expect([1, 2, 5, 11, 21].map((n) => en.nextSteps.restartedHealthy(7, n))).toEqual([
      'Task #7 restarted for 1 account.',
      'Task #7 restarted for 2 accounts.',
      'Task #7 restarted for 5 accounts.',
      'Task #7 restarted for 11 accounts.',
      'Task #7 restarted for 21 accounts.',
    ]);
    expect(ru.task.failedOf(1, 1)).toBe('с ошибкой 1 из 1 аккаунта');
    expect(ru.task.failedOf(1, 5)).toBe('с ошибкой 1 из 5 аккаунтов');
    expect([1, 2].map((n) => made(en, n))).toEqual([
      'Task #1 created: 1 account, preset light.',
      'Task #1 created: 2 accounts, preset light.',
    ]);
  });

  it('writes durations in the units of the language', () => {
    expect(formatDuration(252_000, ru.units)).toBe('4 мин 12 с');
    expect(formatDuration(252_000, en.units)).toBe('4m 12s');
    expect(formatDuration(3_900_000, ru.units)).toBe('1 ч 05 мин');
    expect(formatDuration(42_000)).toBe('42s');
    expect(
      formatTaskEvent(ru, event({ type: 'progress', status: 'running', failures: [] }), undefined),
    ).toContain('Выполняется 4 мин 12 с');
  });

  it('says how long ago an account was warmed within the last day, the date and zone before', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const page = accountsPage(1);
    const row = (at: string) => ({ ...page.rows[0]!, health: 'ok' as const, lastWarmedAt: new Date(at) });
    page.rows = [row('2026-12-01T09:55:00Z'), row('2026-12-01T07:00:00Z'), row('2026-11-29T07:00:00Z')];
    const shown = formatAccountsPage(textsFor('ru', 'Europe/Moscow'), page, { page: 1 }, now).split('\n');
    expect(shown.filter((l) => l.startsWith('✅'))).toEqual([
      '✅ <b>@alice</b> — в порядке · прогрет 5 мин. назад · вход ✓',
      '✅ <b>@alice</b> — в порядке · прогрет 3 ч назад · вход ✓',
      '✅ <b>@alice</b> — в порядке · прогрет 29.11.2026, 10:00 GMT+3 · вход ✓',
    ]);
  });

  it('shows absolute times in the team timezone, with the zone; English with the month as a word', () => {
    const now = new Date('2026-12-01T10:09:12Z');
    const moscow = formatTaskDetails(textsFor('ru', 'Europe/Moscow'), details(), new Map(), now).split('\n');
    expect(moscow).toContain('Создана: 01.12.2026, 12:58 GMT+3');
    // Started and finished also say how long ago.
    expect(moscow).toContain('Начата: 01.12.2026, 13:00 GMT+3 (9 мин. назад)');
    expect(moscow).toContain('Завершена: 01.12.2026, 13:04 GMT+3 (5 мин. назад)');
    const utc = formatTaskDetails(textsFor('en'), details(), new Map(), now).split('\n');
    expect(utc).toContain('Created: 1 Dec 2026, 09:58 UTC');
    expect(utc).toContain('Started: 1 Dec 2026, 10:00 UTC (9 min. ago)');
    expect(utc).toContain('Finished: 1 Dec 2026, 10:04 UTC (5 min. ago)');
    // Long after, the time alone: no "(1 Dec 2026, …)" twice.
    const later = formatTaskDetails(en, details(), new Map(), new Date('2027-03-01T00:00:00Z')).split('\n');
    expect(later).toContain('Finished: 1 Dec 2026, 10:04 UTC');
    const running = formatTaskDetails(en, details({ status: 'running', completedAt: null }), new Map(), now);
    expect(running).not.toContain('Finished');
    expect(dateTime(textsFor('en', 'Europe/Moscow').locale, new Date('2026-12-01T11:05:00Z'))).toBe(
      '1 Dec 2026, 14:05 GMT+3',
    );
  });

  it("says how long ago a task last changed in /list, in the reader's language", () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const at = (ms: number) => new Date(now.getTime() - ms);
    expect(
      [30_000, 5 * 60_000, 3 * 3_600_000, 3 * 86_400_000].map((ms) => ago(en.locale, at(ms), now)),
    ).toEqual(['now', '5 min. ago', '3 hr. ago', '3 days ago']);
    expect(
      [30_000, 5 * 60_000, 3 * 3_600_000, 3 * 86_400_000].map((ms) => ago(ru.locale, at(ms), now)),
    ).toEqual(['сейчас', '5 мин. назад', '3 ч назад', '3 дн. назад']);
    // Beyond a month (or a clock ahead of ours) the date itself reads better.
    expect(ago(en.locale, at(40 * 86_400_000), now)).toBe('22 Oct 2026, 10:00 UTC');
    const one = { ...page(1), items: [{ ...page(1).items[0]!, updatedAt: at(5 * 60_000) }] } as TaskPage;
    expect(formatTaskList(ru, one, undefined, now).split('\n')[1]).toBe(
      '🕓 <b>#1</b> morning warmup — в очереди · с ошибкой 1 из 21 аккаунта · 5 мин. назад',
    );
  });

  it('writes counts and measures as the language does: 12,345 and 12 345', () => {
    expect(number('en', 12_345)).toBe('12,345');
    expect(number('ru', 12_345)).toBe('12\u00a0345');
    expect(number('ru', 1.5)).toBe('1,5');
    expect(en.task.accounts(12_345, 1_234, 13_579)).toBe('Accounts: 12,345 ok · 1,234 failed · 13,579 total');
    expect(ru.task.failedOf(1_234, 12_345)).toBe('с ошибкой 1\u00a0234 из 12\u00a0345 аккаунтов');
    expect(formatCounters(en, { itemsViewed: 1_234, watchSeconds: 45_678.5, likes: 12_345 })).toBe(
      'watched 1,234 (45,678.5 s) · likes 12,345',
    );
    expect(formatCounters(ru, { itemsViewed: 1_234, watchSeconds: 45_678.5, likes: 12_345 })).toBe(
      'просмотрено 1\u00a0234 (45\u00a0678,5 с) · лайков 12\u00a0345',
    );
    expect(ru.digest.finished(12_345)).toBe('Завершено задач: 12\u00a0345.');
    expect(en.digest.finished(12_345)).toBe('12,345 tasks finished:');
  });
});

describe('failure reasons', () => {
  const loggedOut = event({
    failures: [
      {
        runId: 1,
        account: 'carol',
        code: 'logged_out',
        message: 'selectors.loggedOut is visible on http://feed.test/feed',
      },
    ],
  });

  it('a logged-out account is told in one sentence with its next step, without code, selector or URL', () => {
    const notice = formatTaskEvent(ru, loggedOut, undefined);
    expect(notice).toContain(
      '• carol: вышел из аккаунта — отправьте свежий вход: JSON-файл с подписью /login carol.',
    );
    for (const technical of ['logged_out', 'selectors', 'http', 'feed.test'])
      expect(notice).not.toContain(technical);
    expect(formatTaskEvent(en, loggedOut, undefined)).toContain(
      '• carol: logged out — send a fresh login: the JSON with the caption /login carol.',
    );
  });

  it('a code it does not know, even one named like a property of every object, reads as unexpected', () => {
    for (const code of ['something_new', 'toString', '__proto__', '__defineSetter__', null]) {
      expect(
        formatTaskEvent(
          ru,
          event({ failures: [{ runId: 1, account: 'carol', code, message: null }] }),
          undefined,
        ),
      ).toContain('• carol: не удалось по неожиданной причине; подробности в /task.');
    }
  });

  it('every reason the engine knows has its own sentence in both languages', () => {
    for (const code of FAILURE_CODES) {
      expect(Object.keys(ru.reasons)).toContain(code);
      expect(ru.reasons[code]('carol')).not.toBe(ru.reasons.other('carol'));
    }
  });

  it('/task keeps the code and the detail in its log section only', () => {
    const text = formatTaskDetails(ru, details(), new Map());
    const [runs, log] = text.split('Последние строки журнала');
    expect(runs).toMatch(/❌ alice 1 мин 5 с — .* — вышел из аккаунта — отправьте свежий вход/);
    expect(runs).not.toContain('logged_out');
    expect(log).toContain(
      '<code>alice: logged_out selectors.loggedOut is visible on http://feed.test/feed</code>',
    );
  });
});
