// The summary's pure builders: one query result becomes the numbers of both the chart (its
// ECharts series) and the text, so the bars equal the words; the chart renders to a real PNG.
import { describe, expect, it } from 'vitest';
import { chartOption, chartSpec, renderChartPng } from '../../../../src/bot/commands/summary/chart.ts';
import { buildSummaryData } from '../../../../src/bot/commands/summary/summary-data.ts';
import { formatStatsCaption, formatSummary } from '../../../../src/bot/commands/summary/summary-text.ts';
import { textsFor } from '../../../../src/bot/i18n/index.ts';
import type { RunCountRow } from '../../../../src/db/summary-repo.ts';
import { programmeDayAt } from '../../../../src/tasks/programmes/calendar.ts';

const rows: RunCountRow[] = [
  { day: '2026-11-18', recent: false, status: 'completed', reason: null, n: 4 }, // first day of 14
  { day: '2026-11-17', recent: false, status: 'completed', reason: null, n: 99 }, // before the period
  { day: '2026-11-20', recent: false, status: 'failed', reason: 'captcha', n: 2 },
  { day: '2026-11-30', recent: false, status: 'failed', reason: 'logged_out', n: 1 },
  { day: '2026-11-30', recent: true, status: 'completed', reason: null, n: 5 },
  { day: '2026-12-01', recent: true, status: 'completed', reason: null, n: 3 },
  { day: '2026-12-01', recent: true, status: 'failed', reason: 'captcha', n: 1 },
  { day: '2026-12-01', recent: true, status: 'failed', reason: 'navigation_timeout', n: 2 },
  { day: '2026-12-01', recent: true, status: 'failed', reason: 'something_new', n: 1 },
  { day: '2026-12-01', recent: true, status: 'failed', reason: null, n: 1 },
];

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('summary data', () => {
  const data = buildSummaryData(rows, '2026-12-01', 14);

  it('counts the period per day and the last 24 h from the same rows', () => {
    expect(data.days).toHaveLength(14);
    expect(data.days[0]).toBe('2026-11-18');
    expect(data.days.at(-1)).toBe('2026-12-01');
    expect(data.period).toEqual({
      completed: 12,
      failed: 8,
      byReason: { captcha: 3, logged_out: 1, navigation_timeout: 2, other: 2 },
    });
    expect(data.recent).toEqual({
      completed: 8,
      failed: 5,
      byReason: { captcha: 1, navigation_timeout: 2, other: 2 },
    });
    expect(data.completedPerDay[0]).toBe(4);
    expect(data.failedPerDay.captcha?.[2]).toBe(2);
  });

  it('draws bars that equal the text: one series per reason plus done', () => {
    for (const lang of ['en', 'ru'] as const) {
      const t = textsFor(lang, 'Europe/Berlin');
      const spec = chartSpec(t, data);
      const option = chartOption(spec);
      expect(option.xAxis.data).toHaveLength(14);
      const byName = new Map(option.series.map((s) => [s.name, s.data as number[]]));
      expect(sum(byName.get(t.chat.chart.completed)!)).toBe(data.period.completed);
      const text = formatSummary(t, {
        data,
        attention: [],
        programmes: [],
        now: new Date('2026-12-01T08:00:00Z'),
      }).text;
      const caption = formatStatsCaption(t, data);
      for (const [reason, count] of Object.entries(data.period.byReason)) {
        const word = (t.chat.reasons as Record<string, string>)[reason]!;
        expect(sum(byName.get(word)!)).toBe(count);
        expect(text).toContain(t.chat.summary.reasonLine(word, count));
        expect(caption).toContain(t.chat.summary.reasonLine(word, count));
      }
      const failedBars = option.series.filter((s) => s.stack === 'failed').flatMap((s) => s.data as number[]);
      expect(sum(failedBars)).toBe(data.period.failed);
      expect(text).toContain(t.chat.summary.recent(data.recent.completed, data.recent.failed));
      expect(text).toContain(t.chat.summary.period(14, data.period.completed, data.period.failed));
      expect(caption).toContain(t.chat.stats.caption(14, data.period.completed, data.period.failed));
    }
  });

  it('renders the chart to a PNG of the chart’s size', async () => {
    const errors: unknown[] = [];
    const png = await renderChartPng(chartSpec(textsFor('ru'), data), (err) => errors.push(err));
    expect(errors).toEqual([]);
    expect(png!.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([png!.readUInt32BE(16), png!.readUInt32BE(20)]).toEqual([960, 540]);
  });

  it('splits the last 24 h and the period by platform, only once there are several', () => {
    const t = textsFor('en');
    const mixed: RunCountRow[] = [
      { day: '2026-12-01', recent: true, status: 'completed', reason: null, platform: null, n: 3 },
      { day: '2026-12-01', recent: true, status: 'failed', reason: 'captcha', platform: 'instagram', n: 1 },
      { day: '2026-12-01', recent: true, status: 'completed', reason: null, platform: 'instagram', n: 2 },
      { day: '2026-11-25', recent: false, status: 'completed', reason: null, platform: 'youtube', n: 4 },
    ];
    const split = buildSummaryData(mixed, '2026-12-01', 14, 'tiktok');
    const { text } = formatSummary(t, { data: split, now: new Date(), attention: [], programmes: [] });
    expect(text).toContain('\nBy platform: instagram 2 ok, 1 failed; tiktok 3 ok, 0 failed\n');
    expect(formatStatsCaption(t, split)).toContain(
      'By platform: instagram 2 ok, 1 failed; tiktok 3 ok, 0 failed; youtube 4 ok, 0 failed',
    );
    expect(
      formatSummary(textsFor('ru'), { data: split, now: new Date(), attention: [], programmes: [] }).text,
    ).toContain('По платформам: instagram: успешно 2, с ошибкой 1; tiktok: успешно 3, с ошибкой 0');
    // One platform: nothing to split (the rows above had none).
    expect(formatSummary(t, { data, now: new Date(), attention: [], programmes: [] }).text).not.toContain(
      'By platform',
    );
  });

  it('names paused accounts with a Resume button and programmes with their day', () => {
    const t = textsFor('en');
    const { text, keyboard } = formatSummary(t, {
      data,
      now: new Date('2026-12-01T08:00:00Z'),
      attention: [
        {
          id: 7,
          username: 'alice',
          health: 'captcha',
          quarantinedAt: new Date(),
          quarantineReason: 'captcha',
        },
        { id: 8, username: 'bob', health: 'proxy_error', quarantinedAt: null, quarantineReason: null },
      ],
      programmes: [
        { name: 'spring', status: 'active', rampLength: 14, day: 5, skipped: { missed: 2, quarantined: 1 } },
        { name: 'later', status: 'active', rampLength: 7, day: -3, skipped: {} },
      ],
    });
    expect(text).toContain('@alice — paused (captcha)');
    expect(text).toContain('/check alice');
    expect(text).toContain('@bob — proxy not working');
    expect(text).toContain(
      'spring — day 5/14, running\n    skipped in the last 24 h: missed 2, quarantine 1',
    );
    expect(text).toContain('later — day 0/7, starts later');
    // The one Resume button, as a failure notice shows it.
    expect(
      keyboard?.reply_markup.inline_keyboard
        .flat()
        .map((b) => [b.text, 'callback_data' in b && b.callback_data]),
    ).toEqual([['▶️ Resume alice', 'qr:7']]);
    // The digest's day is the programmes' own: started 27 Nov (Moscow), 1 Dec 11:00 there is day 5.
    expect(
      programmeDayAt(
        { timeZone: 'Europe/Moscow', startDate: '2026-11-27' },
        new Date('2026-12-01T08:00:00Z'),
      ),
    ).toBe(5);
  });
});
