// The fleet's buttons and their callback data: an import preview's Apply / Cancel (`fi:a`, `fi:x`;
// the preview they act on is the message they sit on) and a removal's Remove / Keep (`ar:<accountId>`,
// `ar:x`). Parsed strictly: a custom client can send anything.
import { Markup } from 'telegraf';
import type { Texts } from '../../i18n/index.ts';
import { MAX_ID } from '../../shared/buttons.ts';

export type ImportTap = 'apply' | 'cancel';
export type RemoveTap = { action: 'remove'; accountId: number } | { action: 'keep' };

export const isImportCallbackData = (data: string | undefined) => data?.startsWith('fi:') === true;
export const isRemoveCallbackData = (data: string | undefined) => data?.startsWith('ar:') === true;

export function decodeImportTap(data: string | undefined): ImportTap | undefined {
  return data === 'fi:a' ? 'apply' : data === 'fi:x' ? 'cancel' : undefined;
}

export function decodeRemoveTap(data: string | undefined): RemoveTap | undefined {
  if (data === 'ar:x') return { action: 'keep' };
  const match = data ? /^ar:([1-9]\d{0,9})$/.exec(data) : null;
  const accountId = Number(match?.[1]);
  return match && accountId <= MAX_ID ? { action: 'remove', accountId } : undefined;
}

export function importKeyboard(t: Texts, changes: number) {
  const i = t.fleet.import.buttons;
  return Markup.inlineKeyboard([
    [Markup.button.callback(i.apply(changes), 'fi:a'), Markup.button.callback(i.cancel, 'fi:x')],
  ]);
}

export function removeKeyboard(t: Texts, accountId: number) {
  const r = t.fleet.remove.buttons;
  return Markup.inlineKeyboard([
    [Markup.button.callback(r.remove, `ar:${accountId}`), Markup.button.callback(r.keep, 'ar:x')],
  ]);
}
