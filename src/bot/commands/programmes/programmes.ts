// Programmes in chat: `/plan <one line>` creates one (operator), `/plan` alone shows how, `/plan <id>`
// its calendar and history, `/plan <id> add=carol|remove=carol` changes its accounts from the next
// day (operator); `/plans` lists them with Pause / Resume / Stop (confirmed) / Details buttons.
import { Composer } from 'telegraf';
import { findProgramme, participantsOn } from '../../../db/programmes-repo.ts';
import type { ProgrammeRow } from '../../../db/schema.ts';
import { changeMember, createProgramme, moveProgramme } from '../../../tasks/programmes/manage.ts';
import { drawnAhead, listProgrammeOverviews, programmeCalendar } from '../../../tasks/programmes/queries.ts';
import { parseProgrammeSpec } from '../../../tasks/programmes/spec.ts';
import { MAX_ID } from '../../shared/buttons.ts';
import { escapeHtml, truncate } from '../../shared/text-budget.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import {
  confirmStopKeyboard,
  decodeProgrammeCallback,
  detailsKeyboard,
  isProgrammeCallbackData,
  listKeyboard,
} from './keyboard.ts';
import { describeSpecProblem, formatCalendar, formatCreated, formatList } from './views.ts';

const ID_RE = /^#?(\d{1,10})(?:\s+(.*))?$/s;
const MEMBER_RE = /^(add|remove)=@?([A-Za-z0-9_.]{1,24})$/i;

export function programmesFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db } = deps;
  const now = () => new Date(deps.now?.() ?? Date.now());
  const html = { parse_mode: 'HTML' as const };

  const listView = async (ctx: BotContext) => {
    const rows = await listProgrammeOverviews(db, now());
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
  };
  const detailsView = async (ctx: BotContext, programme: ProgrammeRow) => ({
    text: formatCalendar(ctx.t, programme, await programmeCalendar(db, programme, now())),
    extra: { ...html, ...detailsKeyboard(ctx.t, programme) },
  });

  const create = async (ctx: BotContext, line: string) => {
    const t = ctx.t.programmes;
    const at = now();
    const parsed = parseProgrammeSpec(line, { now: at, defaultTimeZone: deps.timeZone ?? 'UTC' });
    if (!parsed.ok) return ctx.reply(describeSpecProblem(ctx.t, parsed.problem), html);
    const result = await createProgramme(db, {
      spec: parsed.spec,
      chatId: ctx.chat?.id ?? null,
      actorId: ctx.actor.id,
      now: at,
    });
    if (!result.ok) {
      return ctx.reply(
        result.problem === 'nameTaken'
          ? t.problems.nameTaken(escapeHtml(parsed.spec.name))
          : ctx.t.unknownAccounts(escapeHtml(truncate(result.names.join(', '), 200))),
        html,
      );
    }
    const { programme } = result;
    const members = await participantsOn(db, programme.id, 1);
    const [first] = await drawnAhead(db, programme, at);
    await ctx.reply(
      formatCreated(
        ctx.t,
        programme,
        members.map((m) => m.username),
        first?.dueAt,
      ),
      { ...html, ...detailsKeyboard(ctx.t, programme) },
    );
  };

  const changeAccounts = async (ctx: BotContext, id: number, change: 'add' | 'remove', username: string) => {
    const t = ctx.t.programmes;
    const result = await changeMember(db, { id, username, change, actorId: ctx.actor.id, now: now() });
    const name = escapeHtml(username);
    if (result.ok) return ctx.reply((change === 'add' ? t.added : t.removed)(name, id, result.fromDay));
    switch (result.problem) {
      case 'notFound':
        return ctx.reply(t.notFound(id));
      case 'notLive':
        return ctx.reply(t.member.notLive(id));
      default:
        return ctx.reply(t.member[result.problem](name));
    }
  };

  feature.command('plan', async (ctx) => {
    const payload = ctx.payload.trim();
    const t = ctx.t.programmes;
    if (payload === '') return ctx.reply(t.usage, html);
    const byId = ID_RE.exec(payload);
    if (!byId) {
      if (!(await requireRole(ctx, db, 'operator', 'plan'))) return;
      return create(ctx, payload);
    }
    const id = Number(byId[1]);
    const rest = byId[2]?.trim();
    if (rest) {
      const member = MEMBER_RE.exec(rest);
      if (!member) return ctx.reply(t.usageId, html);
      if (!(await requireRole(ctx, db, 'operator', 'plan.members'))) return;
      return changeAccounts(ctx, id, member[1]!.toLowerCase() as 'add' | 'remove', member[2]!);
    }
    const programme = id <= MAX_ID ? await findProgramme(db, id) : undefined;
    if (!programme) return ctx.reply(t.notFound(id));
    const view = await detailsView(ctx, programme);
    await ctx.reply(view.text, view.extra);
  });

  feature.command('plans', async (ctx) => {
    const view = await listView(ctx);
    await ctx.reply(view.text, view.extra);
  });

  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (!isProgrammeCallbackData(data)) return next();
    const t = ctx.t.programmes;
    const cb = decodeProgrammeCallback(data);
    if (!cb) return ctx.answerCbQuery(t.badButton, { show_alert: true });
    if (cb.action !== 'details' && !(await requireRole(ctx, db, 'operator', `plan.${cb.action}`))) return;
    const programme = await findProgramme(db, cb.id);
    if (!programme) return ctx.answerCbQuery(t.notFound(cb.id), { show_alert: true });
    const unchanged = () => t.unchanged(programme.id, t.status[programme.status] ?? programme.status);
    switch (cb.action) {
      case 'details': {
        const view = await detailsView(ctx, programme);
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
        const moved = await moveProgramme(db, { id: programme.id, move, actorId: ctx.actor.id, now: now() });
        if (!moved) return ctx.answerCbQuery(unchanged(), { show_alert: true });
        const said = { pause: t.paused, resume: t.resumed, stop: t.stopped }[move](programme.id);
        if (cb.action === 'stopConfirm') await ctx.editMessageText(said);
        else await refresh(ctx, moved);
        return ctx.answerCbQuery(said);
      }
    }
  });

  /** Redraws the message the button was on: the /plans list, or the programme's details. */
  const refresh = async (ctx: BotContext, programme: ProgrammeRow) => {
    const message = ctx.callbackQuery?.message;
    const markup = message && 'reply_markup' in message ? JSON.stringify(message.reply_markup ?? {}) : '';
    const view = markup.includes('"pg:d:') ? await listView(ctx) : await detailsView(ctx, programme);
    await ctx.editMessageText(view.text, view.extra);
  };

  return feature;
}
