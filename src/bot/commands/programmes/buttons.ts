// A tap on a programme's button (`pg:<action>:<id>`): Details shows its calendar; Pause, Resume and
// Stop (asked once more, then confirmed or not) move it, operators only, and the message the button
// was on is redrawn with the programme as it now is.
import { findProgramme } from '../../../db/programmes-repo.ts';
import type { ProgrammeRow } from '../../../db/schema.ts';
import { moveProgramme } from '../../../tasks/programmes/manage.ts';
import { escapeHtml } from '../../shared/text-budget.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import { confirmStopKeyboard, decodeProgrammeCallback } from './keyboard.ts';
import { detailsView, html, listView, nowOf } from './show.ts';

export async function onProgrammeButton(deps: BotDeps, ctx: BotContext, data: string | undefined) {
  const { db } = deps;
  const t = ctx.t.programmes;
  const cb = decodeProgrammeCallback(data);
  if (!cb) return ctx.answerCbQuery(t.badButton, { show_alert: true });
  if (cb.action !== 'details' && !(await requireRole(ctx, db, 'operator', `plan.${cb.action}`))) return;
  const programme = await findProgramme(db, cb.id);
  if (!programme) return ctx.answerCbQuery(t.notFound(cb.id), { show_alert: true });
  const unchanged = () => t.unchanged(programme.id, t.status[programme.status] ?? programme.status);
  switch (cb.action) {
    case 'details': {
      const view = await detailsView(deps, ctx, programme);
      await ctx.reply(view.text, view.extra);
      return ctx.answerCbQuery();
    }
    case 'stop':
      if (programme.status !== 'active' && programme.status !== 'paused') {
        return ctx.answerCbQuery(unchanged(), { show_alert: true });
      }
      await ctx.reply(t.confirmStop(programme.id, escapeHtml(programme.name)), {
        ...html,
        ...confirmStopKeyboard(ctx.t, programme.id),
      });
      return ctx.answerCbQuery();
    case 'stopCancel':
      await ctx.editMessageText(t.notStopped);
      return ctx.answerCbQuery();
    default: {
      const move = cb.action === 'stopConfirm' ? 'stop' : cb.action;
      const moved = await moveProgramme(db, {
        id: programme.id,
        move,
        actorId: ctx.actor.id,
        now: nowOf(deps),
      });
      if (!moved) return ctx.answerCbQuery(unchanged(), { show_alert: true });
      const said = { pause: t.paused, resume: t.resumed, stop: t.stopped }[move](programme.id);
      if (cb.action === 'stopConfirm') await ctx.editMessageText(said);
      else await refresh(deps, ctx, moved);
      return ctx.answerCbQuery(said);
    }
  }
}

/** Redraws the message the button was on: the /plans list, or the programme's details. */
async function refresh(deps: BotDeps, ctx: BotContext, programme: ProgrammeRow) {
  const message = ctx.callbackQuery?.message;
  const markup = message && 'reply_markup' in message ? JSON.stringify(message.reply_markup ?? {}) : '';
  const view = markup.includes('"pg:d:')
    ? await listView(deps, ctx)
    : await detailsView(deps, ctx, programme);
  await ctx.editMessageText(view.text, view.extra);
}
