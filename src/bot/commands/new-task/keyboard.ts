// The guided /new's buttons and their callback data: `n:t:<accountId>` (toggle an account),
// `n:tg:<tag>` (its healthy accounts at once), `n:g:<page>`, `n:p:<preset>`, `n:a|n|ok|x` (all
// healthy, next, create, cancel). Parsed strictly: a custom client can send anything, and what a
// token names is checked against the draft.
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import { isTag } from '../../../tasks/fleet/tags.ts';
import { isPresetName, PRESET_NAMES, type PresetName } from '../../../warmup/settings.ts';
import type { Texts } from '../../i18n/index.ts';
import { chunk, MAX_CALLBACK_DATA, MAX_ID } from '../../shared/buttons.ts';

/** A tap on one of the guided /new's buttons. */
export type NewTaskCallback =
  | { action: 'toggle'; accountId: number }
  | { action: 'tag'; tag: string }
  | { action: 'page'; page: number }
  | { action: 'preset'; preset: PresetName }
  | { action: 'allHealthy' | 'next' | 'confirm' | 'cancel' };

const NEW_RE = /^n:(?:t:([1-9]\d{0,9})|g:([1-9]\d{0,3})|p:([a-z]{1,16})|(a|n|ok|x)|tg:([a-z0-9_-]{1,32}))$/;
const NEW_SIMPLE = { a: 'allHealthy', n: 'next', ok: 'confirm', x: 'cancel' } as const;

export function isNewTaskCallbackData(data: string | undefined): boolean {
  return data?.startsWith('n:') ?? false;
}

export function decodeNewTaskCallback(data: string | undefined): NewTaskCallback | undefined {
  const match = data && data.length <= MAX_CALLBACK_DATA ? NEW_RE.exec(data) : null;
  if (!match) return undefined;
  if (match[1]) {
    const accountId = Number(match[1]);
    return accountId <= MAX_ID ? { action: 'toggle', accountId } : undefined;
  }
  if (match[2]) return { action: 'page', page: Number(match[2]) };
  if (match[3]) return isPresetName(match[3]) ? { action: 'preset', preset: match[3] } : undefined;
  if (match[5]) return isTag(match[5]) ? { action: 'tag', tag: match[5] } : undefined;
  return { action: NEW_SIMPLE[match[4] as keyof typeof NEW_SIMPLE] };
}

export function encodeNewTaskCallback(cb: NewTaskCallback): string {
  switch (cb.action) {
    case 'toggle':
      return `n:t:${cb.accountId}`;
    case 'page':
      return `n:g:${cb.page}`;
    case 'tag':
      return `n:tg:${cb.tag}`;
    case 'preset':
      return `n:p:${cb.preset}`;
    default:
      return `n:${(Object.keys(NEW_SIMPLE) as (keyof typeof NEW_SIMPLE)[]).find((k) => NEW_SIMPLE[k] === cb.action)}`;
  }
}

const newButton = (text: string, cb: NewTaskCallback) =>
  Markup.button.callback(text, encodeNewTaskCallback(cb));

export type AccountChoice = { id: number; username: string; healthy: boolean; selected: boolean };

export type TagChoice = { tag: string; selected: boolean };

/** Step 1 of the guided /new: one toggle per account on this page, paging, the tags, all healthy, next. */
export function draftAccountsKeyboard(
  t: Texts,
  choices: AccountChoice[],
  page: number,
  pages: number,
  tags: TagChoice[] = [],
) {
  const accounts = choices.map((a) =>
    newButton(`${a.selected ? '✓ ' : ''}${a.healthy ? '' : '⚠️ '}${a.username}`, {
      action: 'toggle',
      accountId: a.id,
    }),
  );
  const nav: InlineKeyboardButton[] = [];
  if (page > 1) nav.push(newButton(t.buttons.prev, { action: 'page', page: page - 1 }));
  if (page < pages) nav.push(newButton(t.buttons.next, { action: 'page', page: page + 1 }));
  const tagButtons = tags.map((c) =>
    newButton(`${c.selected ? '✓ ' : ''}#${c.tag}`, { action: 'tag', tag: c.tag }),
  );
  return Markup.inlineKeyboard([
    ...chunk(accounts, 2),
    ...(nav.length ? [nav] : []),
    ...chunk(tagButtons, 3),
    [newButton(t.newTask.buttons.allHealthy, { action: 'allHealthy' })],
    [
      newButton(t.newTask.buttons.next, { action: 'next' }),
      newButton(t.newTask.buttons.cancel, { action: 'cancel' }),
    ],
  ]);
}

/** Step 2: one button per preset. */
export function draftPresetKeyboard(t: Texts) {
  const presets = PRESET_NAMES.map((preset) => newButton(preset, { action: 'preset', preset }));
  return Markup.inlineKeyboard([
    ...chunk(presets, 2),
    [newButton(t.newTask.buttons.cancel, { action: 'cancel' })],
  ]);
}

/** Step 3: create or cancel. */
export function draftConfirmKeyboard(t: Texts) {
  return Markup.inlineKeyboard([
    [
      newButton(t.newTask.buttons.create, { action: 'confirm' }),
      newButton(t.newTask.buttons.cancel, { action: 'cancel' }),
    ],
  ]);
}
