// /new: create a warmup task in one line (`/new accounts=a,b,tag:spring preset=light likes=2-5`) or
// guided by buttons (accounts or tags → preset → confirm, the draft held in memory: guided.ts).
// Operators only; every tap is re-authorized and answered; bad input gets one line and creates nothing.
import { Composer } from 'telegraf';
import { resolveSettings, SettingsError, type WarmupSettings } from '../../../warmup/settings.ts';
import { escapeHtml } from '../../shared/text-budget.ts';
import { chooseAccounts } from '../account-selection.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import { describeProblem, inTypedKeys, parseNewTaskArgs } from './args.ts';
import { createAndAnnounce } from './create.ts';
import { createDraftStore } from './drafts.ts';
import { onDraftTap, startDraft } from './guided.ts';
import { isNewTaskCallbackData } from './keyboard.ts';

export function newTaskFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const drafts = createDraftStore();

  feature.command('new', async (ctx) => {
    if (!(await requireRole(ctx, deps.db, 'operator', 'new'))) return;
    if (ctx.payload.trim() === '') await startDraft(deps, drafts, ctx);
    else await createFromLine(deps, ctx, ctx.payload);
  });

  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (!isNewTaskCallbackData(data)) return next();
    return onDraftTap(deps, drafts, ctx, data);
  });

  return feature;
}

/** `/new accounts=… preset=… name=… likes=…`: the whole task in one line. */
async function createFromLine(deps: BotDeps, ctx: BotContext, line: string) {
  const t = ctx.t.newTask;
  const say = (text: string) => ctx.reply(text, { parse_mode: 'HTML' });
  const parsed = parseNewTaskArgs(line);
  if (!parsed.ok) return say(describeProblem(ctx.t, parsed.problem));
  const { args } = parsed;
  let settings: WarmupSettings;
  try {
    settings = resolveSettings(args.preset, args.overrides);
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    return say(t.badSettings(escapeHtml(err.problems.map(inTypedKeys).join('; '))));
  }
  // Groups (all, tag:, platform:) take the accounts that can be warmed now; names are taken as they are.
  const chosen = await chooseAccounts(
    deps.db,
    deps,
    ctx.t,
    args.accounts === 'all' ? ['all'] : args.accounts,
    {
      noneText: t.noHealthy,
    },
  );
  if (!chosen.ok) return say(chosen.text);
  const card = await createAndAnnounce(
    deps,
    ctx,
    chosen.accountIds,
    args.preset,
    settings,
    args.name,
    args.overrides,
  );
  // A group's accounts that cannot be warmed now are left out: said, not silent.
  const text = chosen.leftOut > 0 ? `${card.text}\n${t.leftOut(chosen.leftOut)}` : card.text;
  await ctx.reply(text, card.extra);
}
