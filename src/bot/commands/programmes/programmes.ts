// Programmes in chat: `/plan <one line>` creates one (operator), `/plan` alone shows how, `/plan <id>`
// its calendar and history, `/plan <id> add=carol|remove=carol` changes its accounts from the next
// day (operator; add= takes a selection too: add=tag:spring,dave); `/plans` lists them with
// Pause / Resume / Stop (confirmed) / Details buttons. accounts= of a new one is a selection as well.
import { Composer } from 'telegraf';
import { findProgramme, participantsOn } from '../../../db/programmes-repo.ts';
import { parseSelection } from '../../../tasks/fleet/selection.ts';
import { addMembers, changeMember, createProgramme } from '../../../tasks/programmes/manage.ts';
import { drawnAhead } from '../../../tasks/programmes/queries.ts';
import { parseProgrammeSpec } from '../../../tasks/programmes/spec.ts';
import { MAX_ID } from '../../shared/buttons.ts';
import { escapeHtml } from '../../shared/text-budget.ts';
import { describeSelectionProblem, describeUnknown, selectionOptions } from '../account-selection.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import { onProgrammeButton } from './buttons.ts';
import { detailsKeyboard, isProgrammeCallbackData } from './keyboard.ts';
import { detailsView, html, listView, nowOf } from './show.ts';
import { describeSpecProblem, formatCreated } from './views.ts';

const ID_RE = /^#?(\d{1,10})(?:\s+(.*))?$/s;
const MEMBER_RE = /^(add|remove)=@?([A-Za-z0-9_.]{1,24})$/i;
const ADD_GROUP_RE = /^add=(\S+)$/i;

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
    const group = member ? undefined : ADD_GROUP_RE.exec(rest);
    if (group) {
      if (!(await requireRole(ctx, db, 'operator', 'plan.members'))) return;
      return addGroup(deps, ctx, id, group[1]!);
    }
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
    selection: selectionOptions(deps),
  });
  if (!result.ok) {
    const text =
      result.problem === 'nameTaken'
        ? t.problems.nameTaken(escapeHtml(parsed.spec.name))
        : result.problem === 'unknownAccounts'
          ? describeUnknown(ctx.t, result.unknown)
          : result.problem === 'tooManyAccounts'
            ? t.problems.tooManyAccounts(result.max)
            : ctx.t.fleet.selection.noneWarmable;
    return ctx.reply(text, html);
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

/** `/plan <id> add=tag:spring,dave`: the accounts of a selection join from the next day. */
async function addGroup(deps: BotDeps, ctx: BotContext, id: number, value: string) {
  const t = ctx.t.programmes;
  const tokens = value.split(',');
  const parsed = parseSelection(tokens);
  if (!parsed.ok) return ctx.reply(describeSelectionProblem(ctx.t, parsed.problem), html);
  const result = await addMembers(deps.db, {
    id,
    tokens,
    actorId: ctx.actor.id,
    now: nowOf(deps),
    selection: selectionOptions(deps),
  });
  if (result.ok)
    return ctx.reply(ctx.t.fleet.selection.joined(result.added, result.already, id, result.fromDay));
  switch (result.problem) {
    case 'notFound':
      return ctx.reply(t.notFound(id));
    case 'notLive':
      return ctx.reply(t.member.notLive(id));
    case 'unknownAccounts':
      return ctx.reply(describeUnknown(ctx.t, result.unknown), html);
    case 'tooManyAccounts':
      return ctx.reply(t.problems.tooManyAccounts(result.max));
    case 'noAccounts':
      return ctx.reply(ctx.t.fleet.selection.noneWarmable);
  }
}
