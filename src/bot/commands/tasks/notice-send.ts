// Sending one task notice: the live message (sent once, then edited; a vanished one is forgotten
// and started anew), the end (a photo with the failure screenshot when there is one, text when the
// photo is refused, and the live message closed), and a digest of several, sized to one message.
import type { Telegram } from 'telegraf';
import type { Db } from '../../../db/client.ts';
import { findScreenshot } from '../../../db/runs-repo.ts';
import { setProgressMessage } from '../../../db/tasks-repo.ts';
import { findUser } from '../../../db/users-repo.ts';
import type { Logger } from '../../../logger.ts';
import type { TaskEvent } from '../../../tasks/events.ts';
import { actorNames } from '../../../tasks/queries.ts';
import { langOf, type Texts, textsFor } from '../../i18n/index.ts';
import { classifyRefusal } from '../../notifications/refusals.ts';
import { fitLines, MAX_CAPTION, MAX_TEXT } from '../../shared/text-budget.ts';
import { resumeButtons } from '../quarantine/notice.ts';
import { formatTaskEvent } from './card.ts';
import { taskKeyboard } from './keyboard.ts';
import { nextStepButtons, withNextSteps } from './next-steps.ts';
import type { NoticeItem } from './notice-lanes.ts';

export type NoticeDeps = { db: Db; telegram: Telegram; log: Logger };

const html = { parse_mode: 'HTML' as const };

/** A notice speaks the language of whoever caused the event, else of the task's creator. */
async function textsOf(db: Db, { event, task, zone }: NoticeItem): Promise<Texts> {
  const speaker = event.actorId ?? task.createdBy;
  const user = speaker === null ? undefined : await findUser(db, speaker);
  return textsFor(langOf(user?.language), zone);
}

async function actorOf(db: Db, event: TaskEvent) {
  return event.actorId === null ? undefined : (await actorNames(db, [event.actorId])).get(event.actorId);
}

/** The task's buttons (no Refresh: the notice is kept up to date) and the steps that fix its failures. */
function noticeKeyboard(t: Texts, { event, task }: NoticeItem) {
  return withNextSteps(
    taskKeyboard(t, task.id, event.status, event.runs, ['refresh']),
    nextStepButtons(t, event.failures),
  );
}

export async function sendLive({ db, telegram, log }: NoticeDeps, chatId: number, item: NoticeItem) {
  const { event, task } = item;
  const t = await textsOf(db, item);
  const text = formatTaskEvent(t, event, await actorOf(db, event));
  const keyboard = noticeKeyboard(t, item);
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

export async function sendFinal({ db, telegram, log }: NoticeDeps, chatId: number, item: NoticeItem) {
  const { event, task } = item;
  const t = await textsOf(db, item);
  const actor = await actorOf(db, event);
  const buttons = noticeKeyboard(t, item).reply_markup;
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
    const closed = event.type === 'failed' ? formatTaskEvent(t, { ...event, quarantined: [] }, actor) : text;
    await telegram
      .editMessageText(chatId, live, undefined, closed, html)
      .catch((err) => log.debug({ err, taskId: task.id }, 'could not close the live message'));
  }
}

export async function sendDigest(
  { db, telegram }: NoticeDeps,
  chatId: number,
  items: NoticeItem[],
  heading: (t: Texts, n: number) => string,
) {
  const t = await textsOf(db, items[0]!);
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
