// Pure text builders for chat messages (HTML parse mode): task cards, details, lists, durations.
// Everything that came from a user is escaped here and nowhere else. Budgets count what Telegram
// counts (characters after entity parsing), and cuts fall between whole lines, never in markup.
import type { TaskEvent } from '../tasks/events.ts';
import type { Status } from '../tasks/lifecycle.ts';
import type { TaskDetails, TaskPage } from '../tasks/queries.ts';
import { quarantineLines } from './commands/quarantine/notice.ts';
import type { Texts } from './i18n/index.ts';
import { ago, dateTime, dateTimeAgo, duration, number, type Units } from './i18n/intl.ts';

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const EN_UNITS: Units = { h: (v) => `${v}h`, m: (v) => `${v}m`, s: (v) => `${v}s` };

/** 4m 12s; 42s; 1h 05m — or, with Russian units, 4 мин 12 с. */
export function formatDuration(ms: number, units: Units = EN_UNITS): string {
  return duration(ms, units);
}

/** An account's health state in the reader's words (an unexpected state reads as "not checked yet"). */
export function formatHealth(t: Texts, health: string): string {
  return Object.hasOwn(t.health, health) ? t.health[health as keyof Texts['health']] : t.health.unknown;
}

/** The sentence for why a run failed, with the step that fixes it; never the code or the detail. */
export function formatReason(t: Texts, code: string | null, account: string): string {
  // Own keys only: a code such as "toString" or "__proto__" must not reach Object.prototype.
  const key = code !== null && Object.hasOwn(t.reasons, code) ? (code as keyof Texts['reasons']) : 'other';
  return t.reasons[key](account);
}

const ICON: Record<Status, string> = {
  pending: '🕓',
  running: '▶️',
  completed: '✅',
  failed: '❌',
  cancelled: '⛔',
};

/** Shortens plain text (before it is escaped: a cut never lands in markup or an entity). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  // Never split a surrogate pair: half an emoji is not valid UTF-8 on Telegram's side.
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

// Longest user-given pieces, in characters, before escaping: one line must always fit a caption.
const NAME_MAX = 100;
const ACCOUNT_MAX = 64;
const CODE_MAX = 64;
const REASON_MAX = 300;
const clip = (text: string, max: number) => escapeHtml(truncate(text, max));

const REFERENCE = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;

/** The length Telegram counts for a line of our HTML: tags removed, references decoded (UTF-16). */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(REFERENCE, (_, body: string) => {
    const code = body.startsWith('#')
      ? Number.parseInt(
          body.slice(body[1] === 'x' || body[1] === 'X' ? 2 : 1),
          body[1]?.toLowerCase() === 'x' ? 16 : 10,
        )
      : 0;
    return code > 0xffff ? 'xx' : 'x';
  }).length;
}

/** The text of our HTML without markup, escaped again: the last resort that always parses. */
function plainOf(html: string): string {
  const decoded = html
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');
  return decoded;
}

export type LineBudget = {
  /** Always kept (the caller keeps them short). */
  head: string[];
  /** Kept from the start while they fit; the rest become one `more(n)` line. */
  body: string[];
  /** Kept after the body when they fit. */
  tail?: string[];
  max: number;
  more: (n: number) => string;
  /** Lines already left out before the budget (counted in the `more` line). */
  hidden?: number;
};

/**
 * Joins whole lines (each with its markup closed) within `max` visible characters; what does not
 * fit is named by a closing "…and N more" line instead of being cut off mid-line.
 */
export function fitLines({ head, body, tail = [], max, more, hidden = 0 }: LineBudget): string {
  const size = (lines: string[]) =>
    lines.reduce((n, l) => n + visibleLength(l), 0) + Math.max(0, lines.length - 1);
  const tailSize = tail.length > 0 ? size(tail) + 1 : 0;
  const lines = [...head];
  let used = size(head);
  let kept = 0;
  for (const line of body) {
    const left = body.length - kept - 1 + hidden;
    const reserve = left > 0 ? visibleLength(more(left)) + 1 : 0;
    if (used + visibleLength(line) + 1 + reserve + tailSize > max) break;
    lines.push(line);
    used += visibleLength(line) + 1;
    kept += 1;
  }
  const omitted = body.length - kept + hidden;
  if (omitted > 0) lines.push(more(omitted));
  const withTail = [...lines, ...tail];
  if (size(withTail) <= max) return withTail.join('\n');
  if (size(lines) <= max) return lines.join('\n');
  // The head alone is too long (it should never be): its plain text, cut, still says something.
  return escapeHtml(truncate(plainOf(head.join('\n')), max));
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
  const head = [`${ICON[status]} <b>#${event.taskId}</b> ${clip(event.taskName, NAME_MAX)} — ${word}`];
  const ok = event.runs.completed;
  head.push(t.task.accounts(ok, event.runs.failed, event.runs.total));
  if (event.durationMs !== null) {
    const d = formatDuration(event.durationMs, t.units);
    head.push(status === 'running' ? t.task.started(d) : t.task.duration(d));
  }
  if (event.type === 'failed') head.push(t.task.failedOf(event.runs.failed, event.runs.total));
  // Told once, before anything a tight caption could cut: the account is out of every programme.
  if (event.type === 'failed') head.push(...quarantineLines(t, event.quarantined));
  // The person reads what happened and what to do; the code and its detail stay in /task's log.
  const body = event.failures.map((f) => {
    const account = clip(f.account, ACCOUNT_MAX);
    return `• ${account}: ${formatReason(t, f.code, account)}`;
  });
  const tail: string[] = [];
  if (actor) {
    const who = clip(actor, NAME_MAX);
    if (event.type === 'cancelled') tail.push(t.task.cancelledBy(who));
    else if (event.runNumber > 1 || event.type === 'restarted') tail.push(t.task.restartedBy(who));
  }
  // The event lists a few failures; the rest of the failed runs are named by the "more" line.
  const hidden = Math.max(0, event.runs.failed - event.failures.length);
  return fitLines({ head, body, tail, max, more: t.task.more, hidden: event.type === 'failed' ? hidden : 0 });
}

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
    `${ICON[status]} <b>#${task.id}</b> ${clip(task.name, NAME_MAX)} — ${t.status[status]} (${t.task.run(task.runNumber)})`,
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
    body.push(`${ICON[r.status]} ${account}${took}${counters ? ` — ${counters}` : ''}${capped}${reason}`);
  }
  // Runs come first; the log tail gets what room is left.
  if (d.log.length > 0 || technical.length > 0) {
    body.push('', `<b>${t.task.log}</b>`, ...technical);
    for (const l of d.log) body.push(`<code>${clip(`${l.account}: ${l.line}`, 200)}</code>`);
  }
  return fitLines({ head, body, max: MAX_TEXT, more: t.task.more });
}

const COUNTER_ORDER = ['likes', 'follows', 'comments', 'searches', 'scrolls'] as const;

/** "watched 2 (2 s) · likes 1 · skimmed 12": what a run actually did, in a fixed order. */
export function formatCounters(t: Texts, counters: Record<string, unknown>): string {
  const n = (key: string) => (typeof counters[key] === 'number' ? (counters[key] as number) : 0);
  const parts = n('itemsViewed') > 0 ? [t.counters.watched(n('itemsViewed'), n('watchSeconds'))] : [];
  for (const key of COUNTER_ORDER) {
    if (n(key) > 0) parts.push(`${t.counters[key]} ${number(t.locale.lang, n(key))}`);
  }
  return parts.join(' · ');
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
    return `${ICON[s]} <b>#${task.id}</b> ${clip(task.name, 60)} — ${t.status[s]}${failed}${last}`;
  });
  return fitLines({
    head: [t.list.header(page.page, page.pages, page.total)],
    body,
    max: MAX_TEXT,
    more: t.task.more,
  });
}
