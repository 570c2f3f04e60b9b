// English texts: every sentence the bot says, in one place. ru.ts has the same shape.
// Values that come from users (task names, usernames) arrive already HTML-escaped.

export const en = {
  refusal: (id: number) =>
    `This bot is private. Your Telegram id is ${id}; ask an admin to grant you access.`,
  forbidden: (role: string) => `Your role (${role}) does not allow that.`,
  unavailable: 'The database is not reachable right now. Try again in a moment.',
  internalError: 'Something went wrong on our side. Try again in a moment.',
  unknownCommand: 'I do not know that command. Send /help for the list.',
  staleButton: 'That button is not valid (anymore). Send /list to start over.',

  help: {
    intro: 'I run browser warmups for your TikTok accounts and report back here.',
    viewer: [
      '/list [status] [page] — tasks, newest first',
      '/task &lt;id&gt; — details of one task',
      '/accounts — accounts and their health',
    ],
    operator: [
      '/new — create a task (guided), or /new accounts=a,b preset=light likes=2-5 …',
      '/restart &lt;id&gt; [failed] — run a finished task again (all accounts, or failed only)',
      '/cancel &lt;id&gt; — stop a queued or running task',
    ],
    admin: [
      '/account_add &lt;username&gt; [proxy_url] — add an account',
      'send a JSON file with the caption /session &lt;username&gt; — attach a login session',
      '/grant &lt;user_id&gt; viewer|operator|admin, /revoke &lt;user_id&gt; — manage access',
    ],
    role: (role: string) => `Your role: ${role}.`,
  },

  usage: {
    restart: 'Usage: /restart &lt;task id&gt; [failed] — e.g. /restart 42 or /restart 42 failed',
    cancel: 'Usage: /cancel &lt;task id&gt; — e.g. /cancel 42',
    task: 'Usage: /task &lt;task id&gt; — e.g. /task 42',
    list: 'Usage: /list [pending|running|completed|failed|cancelled] [page] — e.g. /list failed 2',
  },
  badId: (text: string) => `"${text}" is not a task id. Task ids are whole numbers, e.g. /task 42.`,
  badScope: (text: string) =>
    `"${text}" is not a restart scope: use /restart &lt;id&gt; or /restart &lt;id&gt; failed.`,
  notFound: (id: number) => `There is no task #${id}. Send /list to see the tasks.`,

  restarted: (id: number) => `Task #${id} restarted.`,
  restartBusy: (id: number, why: string) => `Task #${id} was not restarted: ${why}.`,
  restartNothingFailed: (id: number) =>
    `Task #${id} has no failed accounts to restart. Use /restart ${id} to run all again.`,
  cancelled: (id: number) => `Task #${id} cancelled.`,
  cancelRefused: (id: number, why: string) => `Task #${id} was not cancelled: ${why}.`,

  /** Why a restart or cancel changed nothing, by the task's current status. */
  why: {
    pending: 'it is already queued',
    running: 'it is still running',
    completed: 'it has already completed',
    failed: 'it has already finished (failed)',
    cancelled: 'it has already been cancelled',
  },
  status: {
    pending: 'queued',
    running: 'running',
    completed: 'completed',
    failed: 'failed',
    cancelled: 'cancelled',
  },
  buttons: {
    restart: '🔁 Restart',
    restartFailed: '🔁 Restart failed',
    cancel: '⛔ Cancel',
    details: 'ℹ️ Details',
    refresh: '🔄 Refresh',
    prev: '◀',
    next: '▶',
    all: 'all',
  },

  task: {
    accounts: (ok: number, failed: number, total: number) =>
      `Accounts: ${ok} ok · ${failed} failed · ${total} total`,
    failedOf: (failed: number, total: number) => `${failed} of ${total} accounts failed`,
    duration: (d: string) => `Duration: ${d}`,
    started: (d: string) => `Running for ${d}`,
    restartedBy: (who: string) => `Restarted by ${who}`,
    cancelledBy: (who: string) => `Cancelled by ${who}`,
    createdBy: (who: string) => `Created by ${who}`,
    run: (n: number) => `run ${n}`,
    created: 'Created',
    startedAt: 'Started',
    completedAt: 'Finished',
    runs: 'Accounts',
    log: 'Last log lines',
    history: 'History',
    none: '—',
    capped: 'cut short by the session cap',
  },
  events: {
    started: 'started',
    progress: 'running',
    completed: 'completed',
    failed: 'failed',
    cancelled: 'cancelled',
    restarted: 'restarted',
  },
  digest: {
    finished: (n: number) => `${n} tasks finished:`,
    started: (n: number) => `${n} tasks started:`,
    more: (n: number) => `…and ${n} more. Send /list for all.`,
  },
  list: {
    empty: 'No tasks yet. Create one with /new.',
    emptyFiltered: (status: string) => `No ${status} tasks.`,
    header: (page: number, pages: number, total: number) =>
      `Tasks — page ${page} of ${pages} (${total} in all)`,
  },
};

export type Texts = typeof en;
