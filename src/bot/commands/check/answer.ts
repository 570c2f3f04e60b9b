// Sends a check's answer to the chat that asked: reachability, the login state the page showed,
// the health recorded, and the screenshot as a photo when there is one (text otherwise), in the
// language of the person who asked. Runs in the bot process; the worker only queues the answer.
import type { Telegram } from 'telegraf';
import type { Db } from '../../../db/client.ts';
import { findUser } from '../../../db/users-repo.ts';
import type { CheckAnswer } from '../../../jobs/queues.ts';
import type { Logger } from '../../../logger.ts';
import { langOf, type Texts, textsFor } from '../../i18n/index.ts';
import { classifyRefusal } from '../../notifications/refusals.ts';
import { escapeHtml } from '../../shared/text-budget.ts';

/** Reasons that mean the check never reached a browser page, rather than that the site was away. */
const NOT_RUN = new Set([
  'busy',
  'interrupted',
  'session_unreadable',
  'internal_error',
  'cancelled',
  'browser_crashed',
]);

const MAX_MESSAGE = 400;

export function formatCheckAnswer(t: Texts, a: CheckAnswer): string {
  const tc = t.check;
  const lines = [`<b>${escapeHtml(tc.header(a.account))}</b>`];
  if (a.reachable) {
    lines.push(tc.reachable, tc.states[a.verdict] ?? tc.states.unknown!);
  } else if (NOT_RUN.has(a.verdict)) {
    lines.push(escapeHtml(tc.notRun(a.verdict)));
  } else {
    lines.push(escapeHtml(tc.unreachable(a.verdict)));
  }
  // The message is the one part of unbounded length; a caption holds 1024 characters.
  const message = a.message.length > MAX_MESSAGE ? `${a.message.slice(0, MAX_MESSAGE - 1)}…` : a.message;
  lines.push(`<i>${escapeHtml(message)}</i>`);
  lines.push(a.health ? tc.health(a.health) : tc.healthKept);
  return lines.join('\n');
}

export function createCheckAnswerSender(deps: { db: Db; telegram: Telegram; log: Logger }) {
  const log = deps.log.child({ component: 'check-answer' });
  return async (answer: CheckAnswer): Promise<void> => {
    const user = await findUser(deps.db, answer.actorId);
    const text = formatCheckAnswer(textsFor(langOf(user?.language)), answer);
    try {
      if (answer.screenshot) {
        const photo = {
          source: Buffer.from(answer.screenshot, 'base64'),
          filename: `check-${answer.account}.png`,
        };
        await deps.telegram.sendPhoto(answer.chatId, photo, { caption: text, parse_mode: 'HTML' });
      } else {
        await deps.telegram.sendMessage(answer.chatId, text, { parse_mode: 'HTML' });
      }
    } catch (err) {
      // A chat gone or a refused message is not helped by a retry; anything else is (pg-boss retries).
      const refusal = classifyRefusal(err);
      if (refusal === undefined) throw err;
      log.warn({ err, chatId: answer.chatId, refusal }, 'Telegram refused a check answer; it is dropped');
    }
  };
}
