// The task's texts on request: /task's details (runs first, then what room is left for the log)
// and /list's page, each within a text's budget.
import type { Status } from '../../../tasks/lifecycle.ts';
import type { TaskDetails, TaskPage } from '../../../tasks/queries.ts';
import type { Texts } from '../../i18n/index.ts';
import { ago, dateTime, dateTimeAgo } from '../../i18n/intl.ts';
import { clip, fitLines, MAX_TEXT } from '../../shared/text-budget.ts';
import { formatCounters, formatDuration, formatReason } from '../../shared/wording.ts';
import { ACCOUNT_MAX, NAME_MAX, STATUS_ICON } from './card.ts';

const CODE_MAX = 64;
const REASON_MAX = 300;

export function formatTaskDetails(
  t: Texts,
  d: TaskDetails,
  names: Map<number, string>,
  now = new Date(),
): string {
  const { task } = d;
  const status = task.status;
  const when = (at: Date | null) => (at ? dateTime(t.locale, at) : t.task.none);
  // Started and finished say how long ago too: "did it run this morning?" is read at a glance.
  const whenAgo = (at: Date | null) => (at ? dateTimeAgo(t.locale, at, now) : t.task.none);
  const span = (from: Date, to: Date | null) =>
    formatDuration((to ?? now).getTime() - from.getTime(), t.units);
  const ok = d.runs.filter((r) => r.status === 'completed').length;
  const failed = d.runs.filter((r) => r.status === 'failed').length;
  const head = [
    `${STATUS_ICON[status]} <b>#${task.id}</b> ${clip(task.name, NAME_MAX)} — ${t.status[status]} (${t.task.run(task.runNumber)})`,
    t.task.accounts(ok, failed, d.runs.length),
    `${t.task.created}: ${when(task.createdAt)}`,
    `${t.task.startedAt}: ${whenAgo(task.startedAt)}`,
  ];
  if (task.completedAt) head.push(`${t.task.completedAt}: ${whenAgo(task.completedAt)}`);
  if (task.startedAt) {
    head.push(t.task.duration(span(task.startedAt, task.completedAt)));
  }
  const nameOf = (id: number) => clip(names.get(id) ?? `id ${id}`, NAME_MAX);
  if (task.createdBy !== null) head.push(t.task.createdBy(nameOf(task.createdBy)));
  if (task.restartedBy !== null) head.push(t.task.restartedBy(nameOf(task.restartedBy)));
  head.push('', `<b>${t.task.runs}</b>`);
  const body: string[] = [];
  // Technical detail (reason code, selector, URL) belongs to the log section, not the run lines.
  const technical: string[] = [];
  for (const r of d.runs) {
    const counters = formatCounters(t, r.counters as Record<string, unknown>);
    const took = r.startedAt ? ` ${span(r.startedAt, r.completedAt)}` : '';
    const account = clip(r.username, ACCOUNT_MAX);
    const reason = r.status === 'failed' ? ` — ${formatReason(t, r.reasonCode, account)}` : '';
    if (r.reasonCode) {
      technical.push(
        `<code>${account}: ${clip(r.reasonCode, CODE_MAX)} ${clip(r.reasonMessage ?? '', REASON_MAX)}</code>`,
      );
    }
    const capped = r.cappedByTime ? ` (${t.task.capped})` : '';
    body.push(
      `${STATUS_ICON[r.status]} ${account}${took}${counters ? ` — ${counters}` : ''}${capped}${reason}`,
    );
  }
  // Runs come first; the log tail gets what room is left.
  if (d.log.length > 0 || technical.length > 0) {
    body.push('', `<b>${t.task.log}</b>`, ...technical);
    for (const l of d.log) body.push(`<code>${clip(`${l.account}: ${l.line}`, 200)}</code>`);
  }
  return fitLines({ head, body, max: MAX_TEXT, more: t.task.more });
}

export function formatTaskList(
  t: Texts,
  page: TaskPage,
  status: Status | undefined,
  now = new Date(),
): string {
  if (page.total === 0) return status ? t.list.emptyFiltered(t.status[status]) : t.list.empty;
  const body = page.items.map((task) => {
    const s = task.status;
    const failed = task.runsFailed > 0 ? ` · ${t.task.failedOf(task.runsFailed, task.runsTotal)}` : '';
    // Last activity: the task's last change (created, started, a run ended, restarted).
    const last = task.updatedAt ? ` · ${ago(t.locale, task.updatedAt, now)}` : '';
    return `${STATUS_ICON[s]} <b>#${task.id}</b> ${clip(task.name, 60)} — ${t.status[s]}${failed}${last}`;
  });
  return fitLines({
    head: [t.list.header(page.page, page.pages, page.total)],
    body,
    max: MAX_TEXT,
    more: t.task.more,
  });
}
