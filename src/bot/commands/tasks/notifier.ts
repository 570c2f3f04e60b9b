// The task feature's notifier: delivers a chat's pending task events. The start message becomes
// the live progress message (edited, never a new message per step); completion, failure and cancel
// are new messages with buttons, a failure with its screenshot. Each item is settled on its own:
// one refused message never drops another. Events that pile up for one chat fold into a digest.
import type { Telegram } from 'telegraf';
import type { Db } from '../../../db/client.ts';
import { findTask } from '../../../db/tasks-repo.ts';
import type { Logger } from '../../../logger.ts';
import type { Notifier, PendingEvent, Settle } from '../../notifications/notifier-port.ts';
import { ChatGoneError, classifyRefusal } from '../../notifications/refusals.ts';
import { chatTimeZone } from '../../shared/chat-locale.ts';
import { type NoticeItem, sortIntoLanes } from './notice-lanes.ts';
import { type NoticeDeps, sendDigest, sendFinal, sendLive } from './notice-send.ts';

export function createNotifier(deps: {
  db: Db;
  telegram: Telegram;
  log: Logger;
  /** TIMEZONE for absolute times; UTC when not given. */
  timeZone?: string;
}): Notifier {
  const { db } = deps;
  const send: NoticeDeps = { db, telegram: deps.telegram, log: deps.log.child({ component: 'notifier' }) };

  /**
   * Per task, in order: the start (a new live message), the latest progress (an edit of it) and
   * the end. Within a batch progress is folded away; several starts or several ends become one
   * digest each. Newest state wins: news older than the task's current state is settled unsent.
   */
  async function deliver(chatId: number, pending: PendingEvent[], settle: Settle) {
    // The chat's timezone (/tz, else TIMEZONE), read once for the whole batch.
    const zone = await chatTimeZone(db, chatId, deps.timeZone);
    const { starts, progress, finals, stale } = await sortIntoLanes(db, pending, zone);
    const step = (items: NoticeItem[], sending: () => Promise<unknown>) =>
      settleStep(
        send.log,
        chatId,
        items.flatMap((i) => i.ids),
        settle,
        sending,
      );
    await settle(stale, 'stale');
    if (starts.size > 1) {
      const items = [...starts.values()];
      await step(items, () => sendDigest(send, chatId, items, (t, n) => t.digest.started(n)));
    } else {
      for (const item of starts.values()) await step([item], () => sendLive(send, chatId, item));
    }
    for (const item of progress.values()) {
      const task = await findTask(db, item.task.id); // the start above may have set the live message
      if (task) await step([item], () => sendLive(send, chatId, { ...item, task }));
    }
    // A failure that paused an account is never folded: its screenshot and Resume button matter.
    const alone = finals.filter((f) => f.event.type === 'failed' && (f.event.quarantined?.length ?? 0) > 0);
    const folded = finals.filter((f) => !alone.includes(f));
    if (folded.length > 1) {
      await step(folded, () => sendDigest(send, chatId, folded, (t, n) => t.digest.finished(n)));
    } else alone.unshift(...folded);
    for (const final of alone) {
      const task = (await findTask(db, final.task.id)) ?? final.task;
      await step([final], () => sendFinal(send, chatId, { ...final, task }));
    }
  }

  return { deliver };
}

/** Runs one send and settles its events; a refusal that concerns only this item settles it as dropped. */
async function settleStep(
  log: Logger,
  chatId: number,
  ids: number[],
  settle: Settle,
  send: () => Promise<unknown>,
) {
  try {
    await send();
    await settle(ids, 'sent');
  } catch (err) {
    const refusal = classifyRefusal(err);
    if (refusal === 'chat_gone') throw new ChatGoneError(chatId, err);
    if (refusal === undefined) throw err;
    if (refusal === 'not_modified') return settle(ids, 'sent');
    log.warn({ err, chatId, outbox: ids }, 'Telegram refused a notification; it is dropped');
    await settle(ids, 'dropped');
  }
}
