// The "Check" button (`k:<username>`) that asks for a /check of one account, and which failures
// offer it: a proxy that did not work. A notice for many failed accounts carries a few, not one each.
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import type { Texts } from '../../i18n/index.ts';
import { parseAccountRef } from '../account-input.ts';

/** At most this many next-step buttons under one message; the text names the rest's next step. */
export const MAX_NEXT_STEP_BUTTONS = 3;

/** Failure reasons whose next step is a /check of the account. */
const CHECKED_BY_BUTTON: ReadonlySet<string> = new Set(['proxy_error']);

export function encodeCheckCallback(username: string): string {
  return `k:${username}`;
}

/** The username of a Check tap, or undefined for anything that is not one (forged, oversize). */
export function decodeCheckCallback(data: string | undefined): string | undefined {
  if (!data || data.length > 64 || !data.startsWith('k:')) return undefined;
  const name = data.slice(2);
  return parseAccountRef(name) === name ? name : undefined;
}

export function isCheckCallbackData(data: string | undefined): boolean {
  return data?.startsWith('k:') ?? false;
}

/** One Check button per distinct account whose failure a check explains, at most MAX_NEXT_STEP_BUTTONS. */
export function nextStepButtons(
  t: Texts,
  failures: readonly { account: string; code: string | null }[],
): InlineKeyboardButton[] {
  const accounts: string[] = [];
  for (const f of failures) {
    if (accounts.length >= MAX_NEXT_STEP_BUTTONS) break;
    if (f.code === null || !CHECKED_BY_BUTTON.has(f.code) || accounts.includes(f.account)) continue;
    if (decodeCheckCallback(encodeCheckCallback(f.account)) !== f.account) continue;
    accounts.push(f.account);
  }
  return accounts.map((a) => Markup.button.callback(t.nextSteps.check(a), encodeCheckCallback(a)));
}

/** A keyboard with the next-step buttons as one more row under it (none: the keyboard as it was). */
export function withNextSteps<K extends { reply_markup: { inline_keyboard: InlineKeyboardButton[][] } }>(
  keyboard: K,
  buttons: InlineKeyboardButton[],
): K {
  if (buttons.length === 0) return keyboard;
  return {
    ...keyboard,
    reply_markup: {
      ...keyboard.reply_markup,
      inline_keyboard: [...keyboard.reply_markup.inline_keyboard, buttons],
    },
  };
}
