// /new: create a warmup task in one line (`/new accounts=a,b preset=light likes=2-5`) or guided by
// buttons (accounts → preset → confirm, the draft held in memory: guided.ts). Operators only; every
// tap is re-authorized and answered; bad input gets one line and creates nothing.
import { Composer } from 'telegraf';
import { findAccountsByUsernames, listAccountSummaries } from '../../../db/accounts-repo.ts';
import { resolveSettings, SettingsError, type WarmupSettings } from '../../../warmup/settings.ts';
import { escapeHtml, truncate } from '../../shared/text-budget.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import { describeProblem, inTypedKeys, parseNewTaskArgs } from './args.ts';
import { createAndAnnounce, isHealthy } from './create.ts';
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
  let chosen: { id: number; username: string }[];
  if (args.accounts === 'all') {
    chosen = (await listAccountSummaries(deps.db)).filter(isHealthy);
    if (chosen.length === 0) return say(t.noHealthy);
  } else {
    chosen = await findAccountsByUsernames(deps.db, args.accounts);
    const found = new Set(chosen.map((a) => a.username.toLowerCase()));
    const missing = args.accounts.filter((name) => !found.has(name));
    if (missing.length > 0) return say(ctx.t.unknownAccounts(escapeHtml(truncate(missing.join(', '), 200))));
  }
  const card = await createAndAnnounce(
    deps,
    ctx,
    chosen.map((a) => a.id),
    args.preset,
    settings,
    args.name,
    args.overrides,
  );
  await ctx.reply(card.text, card.extra);
}
