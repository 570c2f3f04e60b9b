// Pure text builders for chat messages (HTML parse mode): task cards, details, lists, durations.
// Everything that came from a user is escaped here and nowhere else.
import type { TaskEvent } from '../tasks/events.ts';
import type { Status } from '../tasks/lifecycle.ts';
import type { TaskDetails, TaskPage } from '../tasks/queries.ts';
import type { Texts } from './i18n/index.ts';

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** 4m 12s; 42s; 1h 05m. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

const ICON: Record<Status, string> = {
  pending: '🕓',
  running: '▶️',
  completed: '✅',
  failed: '❌',
  cancelled: '⛔',
};

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The message for a task event: what the chat sees at start, during, and at the end. */
export function formatTaskEvent(
  t: Texts,
  event: TaskEvent,
  actor: string | undefined,
  max = MAX_TEXT,
): string {
  const status = event.type === 'restarted' ? 'pending' : event.status;
  const word =
    event.type === 'progress' || event.type === 'started' ? t.events[event.type] : t.status[status];
  const lines = [`${ICON[status]} <b>#${event.taskId}</b> ${escapeHtml(event.taskName)} — ${word}`];
  const ok = event.runs.completed;
  lines.push(t.task.accounts(ok, event.runs.failed, event.runs.total));
  if (event.durationMs !== null) {
    const d = formatDuration(event.durationMs);
    lines.push(status === 'running' ? t.task.started(d) : t.task.duration(d));
  }
  if (event.type === 'failed') lines.push(t.task.failedOf(event.runs.failed, event.runs.total));
  for (const f of event.failures) {
    lines.push(
      `• ${escapeHtml(f.account)}: <code>${escapeHtml(f.code ?? '?')}</code> ${escapeHtml(f.message ?? '')}`,
    );
  }
  if (actor) {
    if (event.type === 'cancelled') lines.push(t.task.cancelledBy(escapeHtml(actor)));
    else if (event.runNumber > 1 || event.type === 'restarted')
      lines.push(t.task.restartedBy(escapeHtml(actor)));
  }
  return truncate(lines.join('\n'), max);
}

export function formatTaskDetails(
  t: Texts,
  d: TaskDetails,
  names: Map<number, string>,
  now = new Date(),
): string {
  const { task } = d;
  const status = task.status;
  const when = (at: Date | null) => (at ? at.toISOString().replace('T', ' ').slice(0, 19) : t.task.none);
  const ok = d.runs.filter((r) => r.status === 'completed').length;
  const failed = d.runs.filter((r) => r.status === 'failed').length;
  const lines = [
    `${ICON[status]} <b>#${task.id}</b> ${escapeHtml(task.name)} — ${t.status[status]} (${t.task.run(task.runNumber)})`,
    t.task.accounts(ok, failed, d.runs.length),
    `${t.task.created}: ${when(task.createdAt)} · ${t.task.startedAt}: ${when(task.startedAt)} · ${t.task.completedAt}: ${when(task.completedAt)}`,
  ];
  if (task.startedAt) {
    lines.push(
      t.task.duration(formatDuration((task.completedAt ?? now).getTime() - task.startedAt.getTime())),
    );
  }
  if (task.createdBy !== null)
    lines.push(t.task.createdBy(escapeHtml(names.get(task.createdBy) ?? `id ${task.createdBy}`)));
  if (task.restartedBy !== null) {
    lines.push(t.task.restartedBy(escapeHtml(names.get(task.restartedBy) ?? `id ${task.restartedBy}`)));
  }
  lines.push('', `<b>${t.task.runs}</b>`);
  for (const r of d.runs) {
    const counters = formatCounters(t, r.counters as Record<string, unknown>);
    const duration = r.startedAt
      ? ` ${formatDuration((r.completedAt ?? now).getTime() - r.startedAt.getTime())}`
      : '';
    const reason = r.reasonCode
      ? ` <code>${escapeHtml(r.reasonCode)}</code> ${escapeHtml(r.reasonMessage ?? '')}`
      : '';
    const capped = r.cappedByTime ? ` (${t.task.capped})` : '';
    lines.push(
      `${ICON[r.status]} ${escapeHtml(r.username)}${duration}${counters ? ` — ${counters}` : ''}${capped}${reason}`,
    );
  }
  if (d.log.length > 0) {
    lines.push('', `<b>${t.task.log}</b>`);
    for (const l of d.log) lines.push(`<code>${escapeHtml(truncate(`${l.account}: ${l.line}`, 200))}</code>`);
  }
  return truncate(lines.join('\n'), MAX_TEXT);
}

const COUNTER_ORDER = ['likes', 'follows', 'comments', 'searches', 'scrolls'] as const;

/** "watched 2 (2 s) · likes 1 · skimmed 12": what a run actually did, in a fixed order. */
export function formatCounters(t: Texts, counters: Record<string, unknown>): string {
  const n = (key: string) => (typeof counters[key] === 'number' ? (counters[key] as number) : 0);
  const parts = n('itemsViewed') > 0 ? [t.counters.watched(n('itemsViewed'), n('watchSeconds'))] : [];
  for (const key of COUNTER_ORDER) if (n(key) > 0) parts.push(`${t.counters[key]} ${n(key)}`);
  return parts.join(' · ');
}

export function formatTaskList(t: Texts, page: TaskPage, status: Status | undefined): string {
  if (page.total === 0) return status ? t.list.emptyFiltered(t.status[status]) : t.list.empty;
  const lines = [t.list.header(page.page, page.pages, page.total)];
  for (const task of page.items) {
    const s = task.status;
    const failed = task.runsFailed > 0 ? ` · ${t.task.failedOf(task.runsFailed, task.runsTotal)}` : '';
    lines.push(
      `${ICON[s]} <b>#${task.id}</b> ${escapeHtml(truncate(task.name, 60))} — ${t.status[s]}${failed}`,
    );
  }
  return truncate(lines.join('\n'), MAX_TEXT);
}
