// The buttons that fix a failure, under the message that reports it (the failure notice, /task):
// one per distinct reason and account, at most three a message; the text names the step for all.
// A reason whose step is no tap (logged out: upload a file) has no entry and keeps its sentence.
import type { InlineKeyboardButton } from 'telegraf/types';
import type { FailureCode } from '../../../warmup/failure-reasons.ts';
import type { Texts } from '../../i18n/index.ts';
import { checkButton } from '../check/keyboard.ts';

/** At most this many next-step buttons under one message. */
export const MAX_NEXT_STEP_BUTTONS = 3;

type StepButton = (t: Texts, account: string) => InlineKeyboardButton | undefined;

/** The button of each reason that has one. */
const STEP_BUTTONS: Partial<Record<FailureCode, StepButton>> = {
  proxy_error: checkButton,
};

export function nextStepButtons(
  t: Texts,
  failures: readonly { account: string; code: string | null }[],
): InlineKeyboardButton[] {
  const seen = new Set<string>();
  const buttons: InlineKeyboardButton[] = [];
  for (const f of failures) {
    if (buttons.length >= MAX_NEXT_STEP_BUTTONS) break;
    const make =
      f.code !== null && Object.hasOwn(STEP_BUTTONS, f.code)
        ? STEP_BUTTONS[f.code as FailureCode]
        : undefined;
    const key = `${f.code}|${f.account}`;
    if (!make || seen.has(key)) continue;
    seen.add(key);
    const button = make(t, f.account);
    if (button) buttons.push(button);
  }
  return buttons;
}

/** A keyboard with the next-step buttons as one more row under it (none: the keyboard as it was). */
export function withNextSteps<K extends { reply_markup: { inline_keyboard: InlineKeyboardButton[][] } }>(
  keyboard: K,
  buttons: InlineKeyboardButton[],
): K {
  if (buttons.length === 0) return keyboard;
  const rows = [...keyboard.reply_markup.inline_keyboard, buttons];
  return { ...keyboard, reply_markup: { ...keyboard.reply_markup, inline_keyboard: rows } };
}
