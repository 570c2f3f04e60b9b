// Programmes in chat: `/plan <one line>` creates one (operator), `/plan` alone shows how, `/plan <id>`
// its calendar and history, `/plan <id> add=carol|remove=carol` changes its accounts from the next
// day (operator); `/plans` lists them with Pause / Resume / Stop (confirmed) / Details buttons.
import { Composer } from 'telegraf';
import { findProgramme, participantsOn } from '../../../db/programmes-repo.ts';
import { changeMember, createProgramme } from '../../../tasks/programmes/manage.ts';
import { drawnAhead } from '../../../tasks/programmes/queries.ts';
import { parseProgrammeSpec } from '../../../tasks/programmes/spec.ts';
import { MAX_ID } from '../../shared/buttons.ts';
import { escapeHtml, truncate } from '../../shared/text-budget.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import { onProgrammeButton } from './buttons.ts';
import { detailsKeyboard, isProgrammeCallbackData } from './keyboard.ts';
import { detailsView, html, listView, nowOf } from './show.ts';
import { describeSpecProblem, formatCreated } from './views.ts';

const ID_RE = /^#?(\d{1,10})(?:\s+(.*))?$/s;
const MEMBER_RE = /^(add|remove)=@?([A-Za-z0-9_.]{1,24})$/i;

export function programmesFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  feature.command('plan', (ctx) => planCommand(deps, ctx, ctx.payload.trim()));
  feature.command('plans', async (ctx) => {
    const view = await listView(deps, ctx);
    await ctx.reply(view.text, view.extra);
  });
  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (!isProgrammeCallbackData(data)) return next();
    return onProgrammeButton(deps, ctx, data);
  });
  return feature;
}

/** /plan: how to, create, change accounts, or show one, by what follows the command. */
async function planCommand(deps: BotDeps, ctx: BotContext, payload: string) {
  const { db } = deps;
  const t = ctx.t.programmes;
  if (payload === '') return ctx.reply(t.usage, html);
  const byId = ID_RE.exec(payload);
  if (!byId) {
    if (!(await requireRole(ctx, db, 'operator', 'plan'))) return;
    return createFromLine(deps, ctx, payload);
  }
  const id = Number(byId[1]);
  const rest = byId[2]?.trim();
  if (rest) {
    const member = MEMBER_RE.exec(rest);
    if (!member) return ctx.reply(t.usageId, html);
    if (!(await requireRole(ctx, db, 'operator', 'plan.members'))) return;
    return changeAccounts(deps, ctx, id, member[1]!.toLowerCase() as 'add' | 'remove', member[2]!);
  }
  const programme = id <= MAX_ID ? await findProgramme(db, id) : undefined;
  if (!programme) return ctx.reply(t.notFound(id));
  const view = await detailsView(deps, ctx, programme);
  await ctx.reply(view.text, view.extra);
}

async function createFromLine(deps: BotDeps, ctx: BotContext, line: string) {
  const { db } = deps;
  const t = ctx.t.programmes;
  const at = nowOf(deps);
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
}

async function changeAccounts(
  deps: BotDeps,
  ctx: BotContext,
  id: number,
  change: 'add' | 'remove',
  username: string,
) {
  const t = ctx.t.programmes;
  const result = await changeMember(deps.db, {
    id,
    username,
    change,
    actorId: ctx.actor.id,
    now: nowOf(deps),
  });
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
}
