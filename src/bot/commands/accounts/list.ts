// The fleet a page at a time (/accounts [health] [tag:x] [page] and its buttons): a count per health
// at the top, 20 accounts with health, last warmup, saved login, proxy host and tags, ◀ ▶ and filter
// buttons. Three queries whatever the fleet's size (tasks/fleet/list.ts); whole lines within
// Telegram's 4096 characters (fitLines); never a proxy credential or a saved login.
import type { Executor } from '../../../db/client.ts';
import { HEALTH_STATES, type HealthState } from '../../../db/vocabulary.ts';
import { type FleetPage, type FleetPageRow, listAccountsPage } from '../../../tasks/fleet/list.ts';
import { normaliseTag } from '../../../tasks/fleet/tags.ts';
import type { Texts } from '../../i18n/index.ts';
import { number, sinceOrDateTime } from '../../i18n/intl.ts';
import { clip, escapeHtml, fitLines, MAX_TEXT } from '../../shared/text-budget.ts';
import { formatHealth } from '../../shared/wording.ts';
import { type Platforms, platformName } from '../platform-input.ts';
import { HEALTH_ICON, type ListView, listKeyboard, MAX_PAGE, MAX_TAG_BUTTONS } from './list-keyboard.ts';

/** `/accounts [health] [tag:x] [page]` → the view, or the argument that is none of those. */
export function parseListArgs(args: readonly string[]): ListView | { bad: string } {
  const view: ListView = { page: 1 };
  let paged = false;
  for (const arg of args) {
    const lower = arg.toLowerCase();
    const tag = lower.startsWith('tag:') ? normaliseTag(lower.slice(4)) : undefined;
    if ((HEALTH_STATES as readonly string[]).includes(lower) && view.health === undefined)
      view.health = lower as HealthState;
    else if (tag && view.tag === undefined) view.tag = tag;
    else if (/^\d{1,5}$/.test(arg) && !paged && Number(arg) >= 1 && Number(arg) <= MAX_PAGE) {
      view.page = Number(arg);
      paged = true;
    } else return { bad: arg };
  }
  return view;
}

export async function accountsListView(
  db: Executor,
  t: Texts,
  view: ListView,
  now = new Date(),
  platforms?: Platforms,
) {
  const page = await listAccountsPage(db, view);
  const shown: ListView = { ...view, page: page.page };
  return {
    text: formatAccountsPage(t, page, shown, now, platforms),
    extra: {
      parse_mode: 'HTML' as const,
      ...(page.total === 0 && page.tags.length === 0
        ? {}
        : listKeyboard(t, {
            view: shown,
            pages: page.pages,
            healthCounts: page.healthCounts,
            tags: [...page.tags].sort((a, b) => b.n - a.n || (a.tag < b.tag ? -1 : 1)),
          })),
    },
  };
}

export function formatAccountsPage(
  t: Texts,
  page: FleetPage,
  view: ListView,
  now = new Date(),
  platforms?: Platforms,
): string {
  const l = t.fleet.list;
  const num = (n: number) => number(t.locale.lang, n);
  const fleetSize = Object.values(page.healthCounts).reduce((a, b) => a + b, 0);
  if (fleetSize === 0 && view.tag === undefined) return t.accounts.empty;
  const filter = [
    ...(view.health ? [formatHealth(t, view.health)] : []),
    ...(view.tag ? [`#${escapeHtml(view.tag)}`] : []),
  ].join(' · ');
  const counts = HEALTH_STATES.filter((h) => page.healthCounts[h] > 0)
    .map((h) => `${HEALTH_ICON[h]} ${formatHealth(t, h)} ${num(page.healthCounts[h])}`)
    .join(' · ');
  const head = [
    l.header(page.total, page.page, page.pages, filter),
    ...(counts ? [counts] : []),
    ...(page.tags.length > MAX_TAG_BUTTONS ? [l.moreTags(page.tags.length - MAX_TAG_BUTTONS)] : []),
    '',
  ];
  if (page.rows.length === 0) return [...head, l.emptyFiltered].join('\n');
  return fitLines({
    head,
    body: page.rows.map((row) => formatRow(t, row, now, platforms)),
    max: MAX_TEXT,
    more: l.more,
  });
}

/**
 * One account in one line, its long parts (proxy host, tags) cut so that a page's 20 lines always
 * fit in one message (about 190 characters each at most): paging then shows every account.
 */
/** One account a line; its platform is named when the deployment knows more than one. */
function formatRow(t: Texts, a: FleetPageRow, now: Date, platforms?: Platforms): string {
  return [
    `${HEALTH_ICON[a.health] ?? '❔'} <b>@${clip(a.username, 24)}</b> — ${formatHealth(t, a.health)}`,
    ...(a.quarantinedAt ? [t.fleet.list.paused] : []),
    a.lastWarmedAt
      ? t.accounts.lastWarmed(sinceOrDateTime(t.locale, a.lastWarmedAt, now))
      : t.accounts.neverWarmed,
    a.hasLogin ? t.accounts.login : t.accounts.noLogin,
    ...(a.proxyHost ? [t.accounts.proxy(clip(a.proxyHost, 40))] : []),
    ...(platforms && platforms.names.length > 1 ? [clip(platformName(a.platform, platforms), 16)] : []),
    ...(a.tags.length > 0 ? [clip(a.tags.map((tag) => `#${tag}`).join(' '), 40)] : []),
  ].join(' · ');
}
