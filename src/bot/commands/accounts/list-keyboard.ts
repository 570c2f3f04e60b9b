// /accounts' buttons and their callback data: `fl:<health>:<tag>:<page>` (either filter may be
// empty) — ◀ ▶ to page, a button per health with accounts and per tag in use to filter. Parsed
// strictly (a custom client can send anything); at most 64 bytes, and far below Telegram's 100
// buttons: the tag buttons are capped, the most used ones first.
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import { HEALTH_STATES, type HealthState } from '../../../db/vocabulary.ts';
import { isTag } from '../../../tasks/fleet/tags.ts';
import type { Texts } from '../../i18n/index.ts';
import { number } from '../../i18n/intl.ts';
import { chunk, MAX_CALLBACK_DATA } from '../../shared/buttons.ts';

/** Tag buttons shown at most; the rest are named by /accounts tag:<tag>. */
export const MAX_TAG_BUTTONS = 24;
export const MAX_PAGE = 99_999;

export const HEALTH_ICON: Record<HealthState, string> = {
  ok: '✅',
  unknown: '❔',
  logged_out: '🔒',
  captcha: '🧩',
  blocked: '⛔',
  proxy_error: '🌐',
};

export type ListView = { health?: HealthState; tag?: string; page: number };

const LIST_RE = /^fl:([a-z_]{0,16}):([a-z0-9_-]{0,32}):(\d{1,5})$/;

export function isListCallbackData(data: string | undefined): boolean {
  return data?.startsWith('fl:') === true;
}

export function encodeListView(view: ListView): string {
  return `fl:${view.health ?? ''}:${view.tag ?? ''}:${view.page}`;
}

export function decodeListView(data: string | undefined): ListView | undefined {
  const match = data && data.length <= MAX_CALLBACK_DATA ? LIST_RE.exec(data) : null;
  if (!match) return undefined;
  const [, health, tag, page] = match;
  if (health && !(HEALTH_STATES as readonly string[]).includes(health)) return undefined;
  if (tag && !isTag(tag)) return undefined;
  const n = Number(page);
  if (n < 1 || n > MAX_PAGE) return undefined;
  return { ...(health ? { health: health as HealthState } : {}), ...(tag ? { tag } : {}), page: n };
}

export type ListKeyboardInput = {
  view: ListView;
  pages: number;
  healthCounts: Record<HealthState, number>;
  /** Tags in use with their counts, the most used first (capped here). */
  tags: readonly { tag: string; n: number }[];
};

export function listKeyboard(t: Texts, input: ListKeyboardInput) {
  const { view, pages } = input;
  const go = (text: string, to: ListView) => Markup.button.callback(text, encodeListView(to));
  const nav: InlineKeyboardButton[] = [];
  if (view.page > 1) nav.push(go(t.buttons.prev, { ...view, page: view.page - 1 }));
  if (view.page < pages) nav.push(go(t.buttons.next, { ...view, page: view.page + 1 }));
  const num = (n: number) => number(t.locale.lang, n);
  const mark = (on: boolean, text: string) => (on ? `• ${text}` : text);
  const total = Object.values(input.healthCounts).reduce((a, b) => a + b, 0);
  const health = [
    go(mark(view.health === undefined, `${t.fleet.list.all} ${num(total)}`), { tag: view.tag, page: 1 }),
    ...HEALTH_STATES.filter((h) => input.healthCounts[h] > 0).map((h) =>
      go(mark(view.health === h, `${HEALTH_ICON[h]} ${num(input.healthCounts[h])}`), {
        health: h,
        tag: view.tag,
        page: 1,
      }),
    ),
  ];
  const tags = input.tags.slice(0, MAX_TAG_BUTTONS).map(({ tag, n }) =>
    go(mark(view.tag === tag, `#${tag} ${num(n)}`), {
      health: view.health,
      ...(view.tag === tag ? {} : { tag }),
      page: 1,
    }),
  );
  return Markup.inlineKeyboard([...(nav.length > 0 ? [nav] : []), ...chunk(health, 4), ...chunk(tags, 3)]);
}
