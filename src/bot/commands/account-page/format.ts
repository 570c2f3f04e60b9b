// The text of one account's page: health, identity, quarantine, programmes and its last runs with
// counters, reasons, times (in the chat's timezone) and durations. Pure.
import type { AccountRow } from '../../../db/schema.ts';
import { readIdentity } from '../../../warmup/identity.ts';
import type { Texts } from '../../i18n/index.ts';
import { dateTime, sinceOrDateTime } from '../../i18n/intl.ts';
import { escapeHtml, joinFew, truncate } from '../../shared/text-budget.ts';
import { formatCounters, formatDuration, formatHealth, formatReason } from '../../shared/wording.ts';
import { browserLine } from '../accounts/accounts.ts';

export type AccountPage = {
  account: Pick<
    AccountRow,
    | 'username'
    | 'health'
    | 'healthUpdatedAt'
    | 'identity'
    | 'browser'
    | 'browserProfile'
    | 'quarantinedAt'
    | 'quarantineReason'
  >;
  /** The platform it warms on, by name (its own or the default); not shown when absent. */
  platform?: string;
  programmes: { name: string; status: string }[];
  runs: {
    taskId: number;
    status: string;
    counters: unknown;
    reasonCode: string | null;
    startedAt: Date | null;
    completedAt: Date | null;
    updatedAt: Date;
  }[];
};

export function formatAccountPage(t: Texts, page: AccountPage, now = new Date()): string {
  const f = t.fleet.account;
  const { account } = page;
  const name = escapeHtml(account.username);
  const health = formatHealth(t, account.health);
  const lines = [
    f.header(name),
    account.healthUpdatedAt
      ? f.health(health, sinceOrDateTime(t.locale, account.healthUpdatedAt, now))
      : f.healthNever(health),
    f.identity(browserLine(t, account, readIdentity(account.identity))),
    ...(page.platform ? [t.platforms.page(escapeHtml(page.platform))] : []),
    account.quarantinedAt
      ? f.paused(
          formatHealth(t, account.quarantineReason ?? 'unknown'),
          dateTime(t.locale, account.quarantinedAt),
        )
      : f.notPaused,
    // An account may have been in many programmes over the months: the first ten, the rest counted.
    page.programmes.length
      ? f.programmes(
          joinFew(
            page.programmes.map((p) =>
              f.programme(escapeHtml(truncate(p.name, 40)), f.programmeStatus[p.status] ?? p.status),
            ),
          ),
        )
      : f.noProgrammes,
    '',
    page.runs.length ? f.runs : f.noRuns,
  ];
  for (const run of page.runs) {
    const status = Object.hasOwn(t.status, run.status)
      ? t.status[run.status as keyof Texts['status']]
      : run.status;
    const end = run.completedAt ?? (run.status === 'running' ? now : null);
    const took =
      run.startedAt && end ? formatDuration(end.getTime() - run.startedAt.getTime(), t.units) : f.notStarted;
    lines.push(f.run(run.taskId, status, dateTime(t.locale, run.startedAt ?? run.updatedAt), took));
    const counters = formatCounters(t, (run.counters ?? {}) as Record<string, unknown>);
    const detail = [
      ...(counters ? [counters] : []),
      ...(run.status === 'failed' ? [formatReason(t, run.reasonCode, name)] : []),
    ];
    if (detail.length) lines.push(`    ${detail.join(' · ')}`);
  }
  return lines.join('\n');
}
