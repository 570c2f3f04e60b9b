// The summary's numbers, built once from one query result: finished sessions of the last 24 h
// (the text) and per local day of the period (the chart and its totals). The chart option and
// the text are both made from this, so the picture and the words cannot disagree.
import type { RunCountRow } from '../../../db/summary-repo.ts';
import { addDays, daysBetween } from '../../../tasks/local-time.ts';
import { isFailureCode } from '../../../warmup/failure-reasons.ts';

export type Counts = { completed: number; failed: number; byReason: Record<string, number> };

export type SummaryData = {
  /** The period's local days, oldest first, ending today. */
  days: string[];
  completedPerDay: number[];
  /** Failed sessions per reason (a failure code, or "other"), one number per day. */
  failedPerDay: Record<string, number[]>;
  period: Counts;
  recent: Counts;
  /** Completed and failed sessions per platform (an account naming none counts as the default). */
  periodByPlatform: Record<string, { completed: number; failed: number }>;
  recentByPlatform: Record<string, { completed: number; failed: number }>;
};

const empty = (): Counts => ({ completed: 0, failed: 0, byReason: {} });

function add(into: Counts, row: RunCountRow, reason: string) {
  if (row.status === 'completed') into.completed += row.n;
  else {
    into.failed += row.n;
    into.byReason[reason] = (into.byReason[reason] ?? 0) + row.n;
  }
}

function addPlatform(into: SummaryData['periodByPlatform'], row: RunCountRow, platform: string) {
  const counts = into[platform] ?? { completed: 0, failed: 0 };
  counts[row.status === 'completed' ? 'completed' : 'failed'] += row.n;
  into[platform] = counts;
}

/**
 * Folds the query rows into the period ending on local day `today` (`days` days long); rows of
 * accounts without a platform count as `defaultPlatform`'s.
 */
export function buildSummaryData(
  rows: readonly RunCountRow[],
  today: string,
  days: number,
  defaultPlatform = 'tiktok',
): SummaryData {
  const first = addDays(today, -(days - 1));
  const list = Array.from({ length: days }, (_, i) => addDays(first, i));
  const data: SummaryData = {
    days: list,
    completedPerDay: list.map(() => 0),
    failedPerDay: {},
    period: empty(),
    recent: empty(),
    periodByPlatform: {},
    recentByPlatform: {},
  };
  for (const row of rows) {
    const reason = row.reason !== null && isFailureCode(row.reason) ? row.reason : 'other';
    const platform = row.platform ?? defaultPlatform;
    if (row.recent) {
      add(data.recent, row, reason);
      addPlatform(data.recentByPlatform, row, platform);
    }
    const i = daysBetween(first, row.day);
    if (i < 0 || i >= days) continue;
    add(data.period, row, reason);
    addPlatform(data.periodByPlatform, row, platform);
    if (row.status === 'completed') data.completedPerDay[i]! += row.n;
    else {
      const perDay = data.failedPerDay[reason] ?? list.map(() => 0);
      perDay[i]! += row.n;
      data.failedPerDay[reason] = perDay;
    }
  }
  return data;
}

/** Reasons, most frequent first (ties by name), so the chart and the text list them alike. */
export function reasonsByCount(byReason: Record<string, number>): [string, number][] {
  return Object.entries(byReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
