// Sends a summary to a chat: the daily one (words, buttons and the chart) and /stats (the chart
// with its totals). The numbers come from one query, read here once for both text and picture.
import type { Telegram } from 'telegraf';
import type { Db } from '../../../db/client.ts';
import { listLiveProgrammes } from '../../../db/programmes-repo.ts';
import { accountsNeedingAttention, countFinishedRuns, skippedSlotsSince } from '../../../db/summary-repo.ts';
import type { Logger } from '../../../logger.ts';
import { addDays, localTime, zonedInstant } from '../../../tasks/local-time.ts';
import { programmeDayAt } from '../../../tasks/programmes/calendar.ts';
import type { Texts } from '../../i18n/index.ts';
import { MAX_CAPTION, visibleLength } from '../../shared/text-budget.ts';
import { chartSpec, renderChartPng } from './chart.ts';
import { buildSummaryData, type SummaryData } from './summary-data.ts';
import { formatStatsCaption, formatSummary } from './summary-text.ts';

export type SummaryDeps = {
  db: Db;
  telegram: Telegram;
  log: Logger;
  /** The platform of accounts that name none (the numbers are split by platform). */
  platforms?: { defaultName: string };
};

const DAY_MS = 86_400_000;

/** Finished sessions of the `days` local days ending today in `timeZone`, and of the last 24 h. */
export async function loadSummaryData(
  db: Db,
  timeZone: string,
  now: Date,
  days: number,
  defaultPlatform?: string,
): Promise<SummaryData> {
  const today = localTime(now, timeZone).date;
  const periodStart = zonedInstant(addDays(today, -(days - 1)), 0, timeZone);
  const recentSince = new Date(now.getTime() - DAY_MS);
  const since = periodStart < recentSince ? periodStart : recentSince;
  const rows = await countFinishedRuns(db, { since, recentSince, timeZone });
  return buildSummaryData(rows, today, days, defaultPlatform);
}

async function sendChart(
  deps: SummaryDeps,
  chatId: number,
  t: Texts,
  data: SummaryData,
  caption: string,
  extra = {},
) {
  const png = await renderChartPng(chartSpec(t, data), (err) =>
    deps.log.warn({ err, chatId }, 'the summary chart could not be drawn; sending the text alone'),
  );
  if (!png) return false;
  await deps.telegram.sendPhoto(
    chatId,
    { source: png, filename: 'summary.png' },
    { caption, parse_mode: 'HTML', ...extra },
  );
  return true;
}

/** What an earlier attempt at this day's summary delivered, and how to record that its chart went. */
export type SummaryDelivery = { chartSent: boolean; onChartSent: () => Promise<void> };

const FIRST_TRY: SummaryDelivery = { chartSent: false, onChartSent: async () => {} };

/**
 * The daily summary: the chart with the text as its caption when it fits (then that is all), else
 * the chart with its totals and then the text. A chart an earlier attempt delivered is not drawn
 * or sent again: only the words follow.
 */
export async function sendDailySummary(
  deps: SummaryDeps,
  chatId: number,
  t: Texts,
  now: Date,
  delivery: SummaryDelivery = FIRST_TRY,
  days = 14,
) {
  const { db } = deps;
  const zone = t.locale.timeZone;
  const data = await loadSummaryData(db, zone, now, days, deps.platforms?.defaultName);
  const attention = await accountsNeedingAttention(db);
  const skips = await skippedSlotsSince(db, new Date(now.getTime() - DAY_MS));
  const programmes = (await listLiveProgrammes(db)).map((p) => ({
    name: p.name,
    status: p.status,
    rampLength: p.ramp.length,
    day: programmeDayAt(p, now),
    skipped: Object.fromEntries(
      skips.filter((k) => k.programmeId === p.id).map((k) => [k.reason ?? 'other', k.n]),
    ),
  }));
  const { text, keyboard } = formatSummary(t, { data, attention, programmes, now });
  const extra = keyboard ?? {};
  if (!delivery.chartSent) {
    const whole = visibleLength(text) <= MAX_CAPTION;
    const caption = whole ? text : formatStatsCaption(t, data);
    if (await sendChart(deps, chatId, t, data, caption, whole ? extra : {})) {
      await delivery.onChartSent();
      if (whole) return;
    }
  }
  await deps.telegram.sendMessage(chatId, text, { parse_mode: 'HTML', ...extra });
}

/** /stats: the chart of the last `days` days with its totals (the totals alone when it cannot be drawn). */
export async function sendStats(deps: SummaryDeps, chatId: number, t: Texts, now: Date, days: number) {
  const data = await loadSummaryData(deps.db, t.locale.timeZone, now, days, deps.platforms?.defaultName);
  const caption = formatStatsCaption(t, data);
  if (await sendChart(deps, chatId, t, data, caption)) return;
  await deps.telegram.sendMessage(chatId, `${caption}\n${t.chat.stats.noChart}`, { parse_mode: 'HTML' });
}
