// A task's card: what the chat is told of a task at its start, while it runs and at its end (the
// notifier's live message, notices and digest lines), within a text's or a caption's budget. The
// status icons and the longest user-given pieces are shared with the list and /task (details.ts).
import type { TaskEvent } from '../../../tasks/events.ts';
import type { Status } from '../../../tasks/lifecycle.ts';
import type { Texts } from '../../i18n/index.ts';
import { clip, fitLines, MAX_TEXT } from '../../shared/text-budget.ts';
import { formatDuration, formatReason } from '../../shared/wording.ts';
import { quarantineLines } from '../quarantine/notice.ts';

export const STATUS_ICON: Record<Status, string> = {
  pending: '🕓',
  running: '▶️',
  completed: '✅',
  failed: '❌',
  cancelled: '⛔',
};

// Longest user-given pieces, in characters, before escaping: one line must always fit a caption.
export const NAME_MAX = 100;
export const ACCOUNT_MAX = 64;

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
  const head = [`${STATUS_ICON[status]} <b>#${event.taskId}</b> ${clip(event.taskName, NAME_MAX)} — ${word}`];
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
    // An account that names its platform says which site failed (a task may mix platforms).
    const platform = f.platform ? ` (${clip(f.platform, 32)})` : '';
    return `• ${account}${platform}: ${formatReason(t, f.code, account)}`;
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
