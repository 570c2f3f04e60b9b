// Delivers a chat's pending task events. The start message becomes the live progress message
// (edited, never a new message per step); completion, failure and cancel are new messages with
// buttons, a failure with its screenshot. Each item is settled on its own: one refused message
// never drops another. Events that pile up for one chat are folded into a digest.
import type { Telegram } from 'telegraf';
import type { Db } from '../../db/client.ts';
import { findScreenshot } from '../../db/runs-repo.ts';
import type { OutboxOutcome, TaskRow } from '../../db/schema.ts';
import { findTask, setProgressMessage } from '../../db/tasks-repo.ts';
import { findUser } from '../../db/users-repo.ts';
import type { Logger } from '../../logger.ts';
import type { TaskEvent } from '../../tasks/events.ts';
import { isFinished, type Status } from '../../tasks/lifecycle.ts';
import { actorNames } from '../../tasks/queries.ts';
import { chatTimeZone } from '../chat-locale.ts';
import { resumeButtons } from '../commands/quarantine/notice.ts';
import { fitLines, formatTaskEvent, MAX_CAPTION, MAX_TEXT } from '../format.ts';
import { langOf, type Texts, textsFor } from '../i18n/index.ts';
import { taskKeyboard } from '../keyboards.ts';
import { nextStepButtons, withNextSteps } from '../next-steps.ts';
import { ChatGoneError, classifyRefusal } from './refusals.ts';

export type PendingEvent = { id: number; event: TaskEvent };
export type Settle = (ids: number[], outcome: OutboxOutcome) => Promise<void>;
export type Notifier = {
  /**
   * Delivers these events (oldest first) to the chat, settling each as it goes. Throws
   * ChatGoneError when the chat cannot be written to, or whatever transient trouble stopped it
   * (the unsettled rest is tried again later).
   */
  deliver(chatId: number, pending: PendingEvent[], settle: Settle): Promise<void>;
};

const LIVE = new Set(['restarted', 'started', 'progress']);

type Item = { ids: number[]; event: TaskEvent; task: TaskRow; zone: string };

export function createNotifier(deps: {
  db: Db;
  telegram: Telegram;
  log: Logger;
  /** TIMEZONE for absolute times; UTC when not given. */
  timeZone?: string;
}): Notifier {
  const { db, telegram } = deps;
  const log = deps.log.child({ component: 'notifier' });
  const html = { parse_mode: 'HTML' as const };

  const textsOf = async ({ event, task, zone }: Item): Promise<Texts> => {
    const speaker = event.actorId ?? task.createdBy;
    const user = speaker === null ? undefined : await findUser(db, speaker);
    return textsFor(langOf(user?.language), zone);
  };
  const actorOf = async (event: TaskEvent) =>
    event.actorId === null ? undefined : (await actorNames(db, [event.actorId])).get(event.actorId);

  /** Runs one send and settles its events; a refusal that concerns only this item settles it as dropped. */
  async function step(chatId: number, ids: number[], settle: Settle, send: () => Promise<unknown>) {
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

  async function sendLive(chatId: number, item: Item) {
    const { event, task } = item;
    const t = await textsOf(item);
    const text = formatTaskEvent(t, event, await actorOf(event));
    const keyboard = withNextSteps(
      taskKeyboard(t, task.id, event.status, event.runs, ['refresh']),
      nextStepButtons(t, event.failures),
    );
    const live = task.progressMessageId;
    if (live !== null) {
      try {
        await telegram.editMessageText(chatId, live, undefined, text, { ...html, ...keyboard });
        return;
      } catch (err) {
        const refusal = classifyRefusal(err);
        if (refusal === 'not_modified') return;
        // Deleted by a user, or too old to edit: forget it and start a new live message.
        if (refusal !== 'message_gone') throw err;
        log.info({ chatId, taskId: task.id }, 'live message gone; starting a new one');
        await setProgressMessage(db, task.id, task.runNumber, null);
      }
    } else if (event.type === 'progress') return; // its start went out in a digest: nothing to edit
    const sent = await telegram.sendMessage(chatId, text, { ...html, ...keyboard });
    await setProgressMessage(db, task.id, task.runNumber, sent.message_id);
  }

  async function sendFinal(chatId: number, item: Item) {
    const { event, task } = item;
    const t = await textsOf(item);
    const actor = await actorOf(event);
    const buttons = withNextSteps(
      taskKeyboard(t, task.id, event.status, event.runs, ['refresh']),
      nextStepButtons(t, event.failures),
    ).reply_markup;
    const resume = event.type === 'failed' ? resumeButtons(t, event.quarantined) : [];
    const keyboard = { reply_markup: { inline_keyboard: [...resume, ...buttons.inline_keyboard] } };
    const shot =
      event.type === 'failed' && event.screenshotRunId
        ? await findScreenshot(db, event.screenshotRunId)
        : undefined;
    const text = formatTaskEvent(t, event, actor);
    let sentAsPhoto = false;
    if (shot) {
      const caption = formatTaskEvent(t, event, actor, MAX_CAPTION);
      const photo = { source: shot.png, filename: `task-${task.id}.png` };
      try {
        await telegram.sendPhoto(chatId, photo, { caption, ...html, ...keyboard });
        sentAsPhoto = true;
      } catch (err) {
        if (classifyRefusal(err) !== 'refused') throw err;
        log.warn({ err, chatId, taskId: task.id }, 'photo refused; sending the notice as text');
      }
    }
    if (!sentAsPhoto) await telegram.sendMessage(chatId, text, { ...html, ...keyboard });
    // The live message stops offering Cancel once the task has ended. A pause is told once: in
    // the notice above, with its Resume button, not again in the live message (which has none).
    const live = task.progressMessageId;
    if (live !== null) {
      const closed =
        event.type === 'failed' ? formatTaskEvent(t, { ...event, quarantined: [] }, actor) : text;
      await telegram
        .editMessageText(chatId, live, undefined, closed, html)
        .catch((err) => log.debug({ err, taskId: task.id }, 'could not close the live message'));
    }
  }

  async function sendDigest(chatId: number, items: Item[], heading: (t: Texts, n: number) => string) {
    const t = await textsOf(items[0]!);
    // As many tasks as fit in one message (the budget decides, not a fixed count); the rest are counted.
    const lines = items.map(({ event }) => formatTaskEvent(t, event, undefined).split('\n')[0]!);
    const text = fitLines({
      head: [heading(t, items.length)],
      body: lines,
      max: MAX_TEXT,
      more: t.digest.more,
    });
    await telegram.sendMessage(chatId, text, html);
  }

  /**
   * Per task, in order: the start (a new live message), the latest progress (an edit of it) and
   * the end. Within a batch progress is folded away; several starts or several ends become one
   * digest each. Newest state wins: news older than the task's current state is settled unsent.
   */
  async function deliver(chatId: number, pending: PendingEvent[], settle: Settle) {
    // The chat's timezone (/tz, else TIMEZONE), read once for the whole batch.
    const zone = await chatTimeZone(db, chatId, deps.timeZone);
    const starts = new Map<number, Item>();
    const progress = new Map<number, Item>();
    const finals: Item[] = [];
    const stale: number[] = [];
    const tasksNow = new Map<number, TaskRow | undefined>();
    for (const { id, event } of pending) {
      if (!tasksNow.has(event.taskId)) tasksNow.set(event.taskId, await findTask(db, event.taskId));
      const task = tasksNow.get(event.taskId);
      if (!task || task.runNumber !== event.runNumber)
        stale.push(id); // restarted since
      else if (!LIVE.has(event.type)) finals.push({ ids: [id], event, task, zone });
      else {
        const into = event.type === 'progress' ? progress : starts;
        // "restarted" then "started": the latter says it all; the latest progress says it all.
        const before = into.get(task.id);
        if (before) stale.push(...before.ids);
        into.set(task.id, { ids: [id], event, task, zone });
      }
    }
    const ending = new Set(finals.map((f) => f.task.id));
    // A start or progress of a task that has ended (its end in this batch, or already sent) says
    // nothing the end does not: it must not reopen the task.
    for (const into of [starts, progress]) {
      for (const [taskId, item] of into) {
        const over = ending.has(taskId) || isFinished(item.task.status as Status);
        if (over || (into === progress && item.task.status !== 'running')) {
          stale.push(...item.ids);
          into.delete(taskId);
        }
      }
    }
    await settle(stale, 'stale');
    if (starts.size > 1) {
      const items = [...starts.values()];
      await step(
        chatId,
        items.flatMap((i) => i.ids),
        settle,
        () => sendDigest(chatId, items, (t, n) => t.digest.started(n)),
      );
    } else {
      for (const item of starts.values()) await step(chatId, item.ids, settle, () => sendLive(chatId, item));
    }
    for (const item of progress.values()) {
      const task = await findTask(db, item.task.id); // the start above may have set the live message
      if (task) await step(chatId, item.ids, settle, () => sendLive(chatId, { ...item, task }));
    }
    // A failure that paused an account is never folded: its screenshot and Resume button matter.
    const alone = finals.filter((f) => f.event.type === 'failed' && (f.event.quarantined?.length ?? 0) > 0);
    const folded = finals.filter((f) => !alone.includes(f));
    if (folded.length > 1) {
      await step(
        chatId,
        folded.flatMap((f) => f.ids),
        settle,
        () => sendDigest(chatId, folded, (t, n) => t.digest.finished(n)),
      );
    } else alone.unshift(...folded);
    for (const final of alone) {
      const task = (await findTask(db, final.task.id)) ?? final.task;
      await step(chatId, final.ids, settle, () => sendFinal(chatId, { ...final, task }));
    }
  }

  return { deliver };
}
