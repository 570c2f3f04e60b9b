// /new: create a warmup task in one line (`/new accounts=a,b preset=light likes=2-5`) or guided by
// buttons (accounts → preset → confirm, the draft held in memory). Operators only; every tap is
// re-authorized and answered; bad input gets one line and creates nothing.
import { Composer } from 'telegraf';
import { findAccountsByUsernames, listAccountSummaries } from '../../../db/accounts-repo.ts';
import { createTask } from '../../../tasks/create-task.ts';
import { UNWARMABLE_HEALTH } from '../../../warmup/failure-reasons.ts';
import {
  PRESET_NAMES,
  type PresetName,
  presets,
  type Range,
  resolveSettings,
  SettingsError,
  type WarmupSettings,
} from '../../../warmup/settings.ts';
import type { Texts } from '../../i18n/index.ts';
import { escapeHtml, truncate } from '../../shared/text-budget.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import { taskKeyboard } from '../tasks/keyboard.ts';
import { describeProblem, inTypedKeys, parseNewTaskArgs } from './args.ts';
import { accountsOnPage, applyTap, createDraftStore, type Draft, pageCount } from './drafts.ts';
import {
  decodeNewTaskCallback,
  draftAccountsKeyboard,
  draftConfirmKeyboard,
  draftPresetKeyboard,
  isNewTaskCallbackData,
} from './keyboard.ts';

/** Accounts that `accounts=all` and "All healthy" leave out: retrying these makes things worse. */
const isHealthy = (account: { health: string }) =>
  !(UNWARMABLE_HEALTH as readonly string[]).includes(account.health);

export function newTaskFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db, jobs } = deps;
  const drafts = createDraftStore();

  /** Creates and queues the task; returns the card that announces it. */
  const create = async (
    ctx: BotContext,
    accountIds: number[],
    preset: PresetName | undefined,
    settings: WarmupSettings,
    name?: string,
  ) => {
    const presetName = preset ?? ctx.t.newTask.defaultPreset;
    const { task } = await createTask(db, jobs, {
      name: name ?? `${preset ?? 'default'} ×${accountIds.length}`,
      settings,
      accountIds,
      chatId: ctx.chat?.id ?? null,
      actorId: ctx.actor.id,
    });
    return {
      text: ctx.t.newTask.created(task.id, accountIds.length, presetName),
      extra: {
        parse_mode: 'HTML' as const,
        ...taskKeyboard(ctx.t, task.id, 'pending', { failed: 0, cancelled: 0 }),
      },
    };
  };

  const createFromLine = async (ctx: BotContext, line: string) => {
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
      chosen = (await listAccountSummaries(db)).filter(isHealthy);
      if (chosen.length === 0) return say(t.noHealthy);
    } else {
      chosen = await findAccountsByUsernames(db, args.accounts);
      const found = new Set(chosen.map((a) => a.username.toLowerCase()));
      const missing = args.accounts.filter((name) => !found.has(name));
      if (missing.length > 0)
        return say(ctx.t.unknownAccounts(escapeHtml(truncate(missing.join(', '), 200))));
    }
    const card = await create(
      ctx,
      chosen.map((a) => a.id),
      args.preset,
      settings,
      args.name,
    );
    await ctx.reply(card.text, card.extra);
  };

  const startDraft = async (ctx: BotContext) => {
    const rows = await listAccountSummaries(db);
    if (rows.length === 0 || !ctx.chat) return ctx.reply(ctx.t.newTask.noAccounts, { parse_mode: 'HTML' });
    const draft: Draft = {
      messageId: 0,
      accounts: rows.map((a) => ({ id: a.id, username: a.username, healthy: isHealthy(a) })),
      selected: new Set(),
      page: 1,
      step: 'accounts',
      preset: undefined,
    };
    const view = renderDraft(ctx.t, draft);
    const sent = await ctx.reply(view.text, { parse_mode: 'HTML', ...view.keyboard });
    draft.messageId = sent.message_id;
    drafts.put(ctx.chat.id, ctx.actor.id, draft);
  };

  feature.command('new', async (ctx) => {
    if (!(await requireRole(ctx, db, 'operator', 'new'))) return;
    if (ctx.payload.trim() === '') await startDraft(ctx);
    else await createFromLine(ctx, ctx.payload);
  });

  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (!isNewTaskCallbackData(data)) return next();
    if (!(await requireRole(ctx, db, 'operator', 'new'))) return;
    const t = ctx.t.newTask;
    const cb = decodeNewTaskCallback(data);
    if (!cb) return ctx.answerCbQuery(t.badButton, { show_alert: true });
    const chatId = ctx.chat?.id;
    const messageId = ctx.callbackQuery.message?.message_id;
    const draft =
      chatId === undefined || messageId === undefined
        ? undefined
        : drafts.get(chatId, ctx.actor.id, messageId);
    if (!draft || chatId === undefined) return ctx.answerCbQuery(t.stale, { show_alert: true });
    const refusal = applyTap(draft, cb);
    if (refusal) {
      const text = refusal === 'invalid' ? t.badButton : refusal === 'pickSome' ? t.pickSome : t.noHealthy;
      return ctx.answerCbQuery(text, { show_alert: true });
    }
    if (cb.action === 'cancel' || cb.action === 'confirm') {
      // Dropped before any await: a second tap on Create finds no draft and creates nothing.
      drafts.drop(chatId, ctx.actor.id);
      if (cb.action === 'cancel') {
        await ctx.editMessageText(t.cancelled);
        return ctx.answerCbQuery();
      }
      const ids = [...draft.selected];
      const card = await create(ctx, ids, draft.preset, resolveSettings(draft.preset));
      await ctx.editMessageText(card.text, card.extra);
      return ctx.answerCbQuery(card.text);
    }
    const view = renderDraft(ctx.t, draft);
    await ctx.editMessageText(view.text, { parse_mode: 'HTML', ...view.keyboard });
    await ctx.answerCbQuery();
  });

  return feature;
}

function renderDraft(t: Texts, draft: Draft) {
  const n = draft.selected.size;
  if (draft.step === 'accounts') {
    const choices = accountsOnPage(draft).map((a) => ({ ...a, selected: draft.selected.has(a.id) }));
    return {
      text: t.newTask.pickAccounts(n, draft.accounts.length),
      keyboard: draftAccountsKeyboard(t, choices, draft.page, pageCount(draft)),
    };
  }
  if (draft.step === 'preset') {
    const r = (range: Range) => (range.min === range.max ? `${range.min}` : `${range.min}–${range.max}`);
    const lines = PRESET_NAMES.map((name) => {
      const s = presets[name];
      return t.newTask.presetLine(name, r(s.videos), r(s.likes), r(s.follows), r(s.comments));
    });
    return { text: [t.newTask.pickPreset(n), '', ...lines].join('\n'), keyboard: draftPresetKeyboard(t) };
  }
  const names = draft.accounts.filter((a) => draft.selected.has(a.id)).map((a) => a.username);
  const shown =
    names.length > 10 ? `${names.slice(0, 10).join(', ')}, +${names.length - 10}` : names.join(', ');
  return {
    text: t.newTask.confirm(n, escapeHtml(shown), draft.preset ?? t.newTask.defaultPreset),
    keyboard: draftConfirmKeyboard(t),
  };
}
