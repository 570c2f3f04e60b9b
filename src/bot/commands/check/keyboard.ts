// The "Check" button (`k:<username>`) that asks for a /check of one account: offered by the
// next steps of a failure whose proxy did not work (commands/tasks/next-steps.ts).
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import type { Texts } from '../../i18n/index.ts';
import { MAX_CALLBACK_DATA } from '../../shared/buttons.ts';
import { parseAccountRef } from '../account-input.ts';

export function encodeCheckCallback(username: string): string {
  return `k:${username}`;
}

/** The username of a Check tap, or undefined for anything that is not one (forged, oversize). */
export function decodeCheckCallback(data: string | undefined): string | undefined {
  if (!data || data.length > MAX_CALLBACK_DATA || !data.startsWith('k:')) return undefined;
  const name = data.slice(2);
  return parseAccountRef(name) === name ? name : undefined;
}

export function isCheckCallbackData(data: string | undefined): boolean {
  return data?.startsWith('k:') ?? false;
}

/** The Check button of an account, or undefined when its name cannot travel in callback data. */
export function checkButton(t: Texts, account: string): InlineKeyboardButton | undefined {
  if (decodeCheckCallback(encodeCheckCallback(account)) !== account) return undefined;
  return Markup.button.callback(t.nextSteps.check(account), encodeCheckCallback(account));
}
