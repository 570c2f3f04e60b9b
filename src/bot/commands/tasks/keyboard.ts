// The task's buttons and their callback data: a task's actions (`r:<id>`, `rf:<id>`, `c:<id>`, …),
// the restart warning's choices and /list's paging and filters (`l:<status>:<page>[:a|b<id>]`).
// A custom client can send anything, so every tap is parsed strictly and re-authorized on arrival.
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import { isStatus, STATUSES, type Status } from '../../../tasks/lifecycle.ts';
import type { PageCursor, TaskPage } from '../../../tasks/queries.ts';
import type { Texts } from '../../i18n/index.ts';
import { chunk, MAX_CALLBACK_DATA, MAX_ID } from '../../shared/buttons.ts';

export const TASK_ACTIONS = {
  r: 'restart',
  rf: 'restartFailed',
  ra: 'restartAnyway',
  rfa: 'restartFailedAnyway',
  rh: 'restartHealthy',
  rfh: 'restartFailedHealthy',
  c: 'cancel',
  d: 'details',
  f: 'refresh',
} as const;
type ActionCode = keyof typeof TASK_ACTIONS;
export type TaskAction = (typeof TASK_ACTIONS)[ActionCode];

export type Callback =
  | { kind: 'task'; action: TaskAction; taskId: number }
  | { kind: 'list'; status: Status | undefined; page: number; cursor?: PageCursor };

const TASK_RE = /^(r|rf|ra|rfa|rh|rfh|c|d|f):([1-9]\d{0,9})$/;
// l:<status>:<page>[:a<id>|:b<id>] — "a": the tasks older than id (next page), "b": newer (back).
// Without a cursor (buttons sent before keyset paging) the page number is used as an offset.
const LIST_RE = new RegExp(`^l:(all|${STATUSES.join('|')}):([1-9]\\d{0,5})(?::([ab])([1-9]\\d{0,9}))?$`);

export function decodeCallback(data: string | undefined): Callback | undefined {
  if (!data || data.length > MAX_CALLBACK_DATA) return undefined;
  const task = TASK_RE.exec(data);
  if (task) {
    const id = Number(task[2]);
    return id <= MAX_ID
      ? { kind: 'task', action: TASK_ACTIONS[task[1] as ActionCode], taskId: id }
      : undefined;
  }
  const list = LIST_RE.exec(data);
  if (list) {
    const status = list[1] && isStatus(list[1]) ? list[1] : undefined;
    const page = Number(list[2]);
    if (!list[3]) return { kind: 'list', status, page };
    const id = Number(list[4]);
    if (id > MAX_ID) return undefined;
    return { kind: 'list', status, page, cursor: list[3] === 'a' ? { before: id } : { after: id } };
  }
  return undefined;
}

export function encodeCallback(cb: Callback): string {
  if (cb.kind === 'list') {
    const base = `l:${cb.status ?? 'all'}:${cb.page}`;
    if (!cb.cursor) return base;
    return 'before' in cb.cursor ? `${base}:a${cb.cursor.before}` : `${base}:b${cb.cursor.after}`;
  }
  const code = (Object.keys(TASK_ACTIONS) as ActionCode[]).find((k) => TASK_ACTIONS[k] === cb.action)!;
  return `${code}:${cb.taskId}`;
}

/** The buttons that make sense for a task in this status. */
export function taskActions(status: Status, runs: { failed: number; cancelled: number }): TaskAction[] {
  switch (status) {
    case 'pending':
    case 'running':
      return ['cancel', 'details', 'refresh'];
    case 'completed':
      return ['restart', 'details'];
    case 'failed':
    case 'cancelled':
      return runs.failed + runs.cancelled > 0
        ? ['restart', 'restartFailed', 'details']
        : ['restart', 'details'];
  }
}

export function taskKeyboard(
  t: Texts,
  taskId: number,
  status: Status,
  runs: { failed: number; cancelled: number },
  omit: TaskAction[] = [],
) {
  const buttons = taskActions(status, runs)
    .filter((a) => !omit.includes(a))
    .map((action) =>
      Markup.button.callback(t.buttons[action], encodeCallback({ kind: 'task', action, taskId })),
    );
  return Markup.inlineKeyboard(chunk(buttons, 3));
}

/**
 * Under a restart warning: restart only the runs whose accounts are healthy (offered only when
 * there are some), or restart as asked although some accounts are unhealthy.
 */
export function restartAnywayKeyboard(
  t: Texts,
  taskId: number,
  scope: 'all' | 'failed',
  offerHealthy: boolean,
) {
  const anyway: TaskAction = scope === 'all' ? 'restartAnyway' : 'restartFailedAnyway';
  const healthy: TaskAction = scope === 'all' ? 'restartHealthy' : 'restartFailedHealthy';
  const button = (action: TaskAction, text: string) =>
    Markup.button.callback(text, encodeCallback({ kind: 'task', action, taskId }));
  return Markup.inlineKeyboard([
    ...(offerHealthy ? [[button(healthy, t.buttons[healthy])]] : []),
    [button(anyway, t.buttons[anyway])],
  ]);
}

/** ◀ and ▶ carry the ids at the page's edges, so the next page is read by key, not by offset. */
export function listKeyboard(t: Texts, status: Status | undefined, page: TaskPage) {
  const nav: InlineKeyboardButton[] = [];
  const newest = page.items[0]?.id;
  const oldest = page.items.at(-1)?.id;
  if (page.page > 1 && newest !== undefined)
    nav.push(
      Markup.button.callback(
        t.buttons.prev,
        encodeCallback({ kind: 'list', status, page: page.page - 1, cursor: { after: newest } }),
      ),
    );
  if (page.hasNext && oldest !== undefined)
    nav.push(
      Markup.button.callback(
        t.buttons.next,
        encodeCallback({ kind: 'list', status, page: page.page + 1, cursor: { before: oldest } }),
      ),
    );
  const filters = [undefined, ...STATUSES].map((s) =>
    Markup.button.callback(
      `${s === status ? '• ' : ''}${s ? t.status[s] : t.buttons.all}`,
      encodeCallback({ kind: 'list', status: s, page: 1 }),
    ),
  );
  return Markup.inlineKeyboard([...(nav.length ? [nav] : []), ...chunk(filters, 3)]);
}
