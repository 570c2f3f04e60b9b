// Delivers task events to the chat. The start message becomes the live progress message (edited,
// never a new message per step); completion, failure and cancel are new messages with buttons, a
// failure with its screenshot. Events that pile up for one chat are folded into a digest.
import type { Telegram } from 'telegraf';
import type { Db } from '../../db/client.ts';
import { findScreenshot } from '../../db/runs-repo.ts';
import type { TaskRow } from '../../db/schema.ts';
import { findTask, setProgressMessage } from '../../db/tasks-repo.ts';
import { findUser } from '../../db/users-repo.ts';
import type { Logger } from '../../logger.ts';
import type { TaskEvent } from '../../tasks/events.ts';
import { actorNames } from '../../tasks/queries.ts';
import { formatTaskEvent, MAX_CAPTION, MAX_TEXT, truncate } from '../format.ts';
import { langOf, type Texts, textsFor } from '../i18n/index.ts';
import { taskKeyboard } from '../keyboards.ts';
import { createMailboxes } from './mailbox.ts';
import { DeliveryError, ignoreNotModified, sendWithRetry } from './send-with-retry.ts';
import { createThrottle, type Throttle } from './throttle.ts';

export type Notifier = { deliver(event: TaskEvent): Promise<void> };

const LIVE = new Set(['restarted', 'started', 'progress']);
const DIGEST_LINES = 25;

type Item = { event: TaskEvent; task: TaskRow };

export function createNotifier(deps: {
  db: Db;
  telegram: Telegram;
  log: Logger;
  throttle?: Throttle;
  /** Aborted at shutdown: sends and their retry waits end at once; the job is failed and retried. */
  signal?: AbortSignal;
}): Notifier {
  const { db, telegram } = deps;
  const log = deps.log.child({ component: 'notifier' });
  const throttle = deps.throttle ?? createThrottle();
  const send = <T>(chatId: number, call: () => Promise<T>) =>
    sendWithRetry(() => call(), { throttle, chatId, signal: deps.signal });

  const textsOf = async (event: TaskEvent, task: TaskRow): Promise<Texts> => {
    const speaker = event.actorId ?? task.createdBy;
    const user = speaker === null ? undefined : await findUser(db, speaker);
    return textsFor(langOf(user?.language));
  };
  const actorOf = async (event: TaskEvent) =>
    event.actorId === null ? undefined : (await actorNames(db, [event.actorId])).get(event.actorId);

  async function sendLive(chatId: number, { event, task }: Item) {
    const t = await textsOf(event, task);
    const text = formatTaskEvent(t, event, await actorOf(event));
    const keyboard = taskKeyboard(t, task.id, event.status, event.runs, ['refresh']);
    const live = task.progressMessageId;
    if (live !== null) {
      await send(chatId, () =>
        telegram.editMessageText(chatId, live, undefined, text, { parse_mode: 'HTML', ...keyboard }),
      ).catch(ignoreNotModified);
    } else if (event.type !== 'progress') {
      const sent = await send(chatId, () =>
        telegram.sendMessage(chatId, text, { parse_mode: 'HTML', ...keyboard }),
      );
      await setProgressMessage(db, task.id, task.runNumber, sent.message_id);
    }
  }

  async function sendFinal(chatId: number, { event, task }: Item) {
    const t = await textsOf(event, task);
    const actor = await actorOf(event);
    const keyboard = taskKeyboard(t, task.id, event.status, event.runs, ['refresh']);
    const shot =
      event.type === 'failed' && event.screenshotRunId
        ? await findScreenshot(db, event.screenshotRunId)
        : undefined;
    if (shot) {
      const caption = formatTaskEvent(t, event, actor, MAX_CAPTION);
      const photo = { source: shot.png, filename: `task-${task.id}.png` };
      await send(chatId, () =>
        telegram.sendPhoto(chatId, photo, { caption, parse_mode: 'HTML', ...keyboard }),
      );
    } else {
      const text = formatTaskEvent(t, event, actor);
      await send(chatId, () => telegram.sendMessage(chatId, text, { parse_mode: 'HTML', ...keyboard }));
    }
    // The live message stops offering Cancel once the task has ended.
    const live = task.progressMessageId;
    if (live !== null) {
      const text = formatTaskEvent(t, event, actor);
      await send(chatId, () =>
        telegram.editMessageText(chatId, live, undefined, text, { parse_mode: 'HTML' }),
      ).catch((err) => log.debug({ err, taskId: task.id }, 'could not close the live message'));
    }
  }

  async function sendDigest(chatId: number, items: Item[], heading: (t: Texts, n: number) => string) {
    const first = items[0]!;
    const t = await textsOf(first.event, first.task);
    const lines = [heading(t, items.length)];
    for (const { event } of items.slice(0, DIGEST_LINES))
      lines.push(formatTaskEvent(t, event, undefined).split('\n')[0]!);
    if (items.length > DIGEST_LINES) lines.push(t.digest.more(items.length - DIGEST_LINES));
    const text = truncate(lines.join('\n'), MAX_TEXT);
    await send(chatId, () => telegram.sendMessage(chatId, text, { parse_mode: 'HTML' }));
  }

  /**
   * Per task, in order: the start (a new live message), the latest progress (an edit of it) and
   * the end. Within a batch only progress is folded away; several starts or several ends become
   * one digest each.
   */
  async function deliverBatch(chatId: number, events: TaskEvent[]) {
    const starts = new Map<number, Item>();
    const finals: Item[] = [];
    const progress = new Map<number, Item>();
    for (const event of events) {
      const task = await findTask(db, event.taskId);
      if (!task || task.runNumber !== event.runNumber) continue; // restarted since: stale news
      if (!LIVE.has(event.type)) finals.push({ event, task });
      else if (event.type === 'progress') progress.set(task.id, { event, task });
      else starts.set(task.id, { event, task }); // "restarted" then "started": the latter says it all
    }
    const finished = new Set(finals.map((f) => f.task.id));
    // A restart card already on screen is edited into the start rather than repeated.
    if (starts.size > 1) await sendDigest(chatId, [...starts.values()], (t, n) => t.digest.started(n));
    else for (const item of starts.values()) await sendLive(chatId, item);
    for (const item of progress.values()) {
      if (finished.has(item.task.id) || item.task.status !== 'running') continue;
      const task = await findTask(db, item.task.id); // the start above may have set the live message
      if (task?.progressMessageId != null) await sendLive(chatId, { event: item.event, task });
    }
    if (finals.length > 1) await sendDigest(chatId, finals, (t, n) => t.digest.finished(n));
    else if (finals[0]) {
      const task = (await findTask(db, finals[0].task.id)) ?? finals[0].task;
      await sendFinal(chatId, { event: finals[0].event, task });
    }
  }

  const mailboxes = createMailboxes<TaskEvent>({
    throttle,
    order: (a, b) => a.at.localeCompare(b.at),
    deliver: async (chatId, batch) => {
      try {
        await deliverBatch(chatId, batch);
      } catch (err) {
        if (err instanceof DeliveryError && err.permanent) {
          // The chat is gone or the bot was removed: retrying cannot help.
          log.warn({ chatId, code: err.code, description: err.description }, 'notifications dropped');
          return;
        }
        throw err;
      }
    },
  });

  return {
    deliver: async (event) => {
      if (event.chatId !== null) await mailboxes.put(event.chatId, event);
    },
  };
}
