// What /plans and /plan <id> show, read now: the list of programmes or one programme's calendar
// and history, each with the buttons its status allows. Shared by the commands and the buttons.
import type { ProgrammeRow } from '../../../db/schema.ts';
import { listProgrammeOverviews, programmeCalendar } from '../../../tasks/programmes/queries.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { detailsKeyboard, listKeyboard } from './keyboard.ts';
import { formatCalendar, formatList } from './views.ts';

export const html = { parse_mode: 'HTML' as const };

/** The feature's clock (tests drive it). */
export const nowOf = (deps: BotDeps) => new Date(deps.now?.() ?? Date.now());

export async function listView(deps: BotDeps, ctx: BotContext) {
  const rows = await listProgrammeOverviews(deps.db, nowOf(deps));
  return {
    text: formatList(ctx.t, rows),
    extra: {
      ...html,
      ...listKeyboard(
        ctx.t,
        rows.map((r) => r.programme),
      ),
    },
  };
}

export async function detailsView(deps: BotDeps, ctx: BotContext, programme: ProgrammeRow) {
  return {
    text: formatCalendar(ctx.t, programme, await programmeCalendar(deps.db, programme, nowOf(deps))),
    extra: { ...html, ...detailsKeyboard(ctx.t, programme) },
  };
}
