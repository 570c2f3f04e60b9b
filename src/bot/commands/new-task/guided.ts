// The guided /new: a message whose buttons walk accounts (one by one, or a tag's at once) → preset
// → confirm, the draft held in memory per chat and user (drafts.ts). Every tap is re-authorized,
// checked against the draft it claims to drive, and answered; a stale or forged one changes nothing.
import { listAccountSummaries } from '../../../db/accounts-repo.ts';
import { PRESET_NAMES, presets, type Range, resolveSettings } from '../../../warmup/settings.ts';
import type { Texts } from '../../i18n/index.ts';
import { escapeHtml, joinFew } from '../../shared/text-budget.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import { createAndAnnounce, isHealthy } from './create.ts';
import { accountsOnPage, applyTap, type Draft, type DraftStore, pageCount, tagsOffered } from './drafts.ts';
import {
  decodeNewTaskCallback,
  draftAccountsKeyboard,
  draftConfirmKeyboard,
  draftPresetKeyboard,
} from './keyboard.ts';

/** Sends the draft's first step and remembers the draft by that message. */
export async function startDraft(deps: BotDeps, drafts: DraftStore, ctx: BotContext) {
  const rows = await listAccountSummaries(deps.db);
  if (rows.length === 0 || !ctx.chat) return ctx.reply(ctx.t.newTask.noAccounts, { parse_mode: 'HTML' });
  const accounts = rows.map((a) => ({ id: a.id, username: a.username, healthy: isHealthy(a), tags: a.tags }));
  const draft: Draft = {
    messageId: 0,
    accounts,
    tags: tagsOffered(accounts),
    selected: new Set(),
    page: 1,
    step: 'accounts',
    preset: undefined,
  };
  const view = renderDraft(ctx.t, draft);
  const sent = await ctx.reply(view.text, { parse_mode: 'HTML', ...view.keyboard });
  draft.messageId = sent.message_id;
  drafts.put(ctx.chat.id, ctx.actor.id, draft);
}

/** A tap on the draft's buttons (`n:…`): applied to the draft, then the message redrawn or ended. */
export async function onDraftTap(
  deps: BotDeps,
  drafts: DraftStore,
  ctx: BotContext,
  data: string | undefined,
) {
  if (!(await requireRole(ctx, deps.db, 'operator', 'new'))) return;
  const t = ctx.t.newTask;
  const cb = decodeNewTaskCallback(data);
  if (!cb) return ctx.answerCbQuery(t.badButton, { show_alert: true });
  const chatId = ctx.chat?.id;
  const messageId = ctx.callbackQuery?.message?.message_id;
  const draft =
    chatId === undefined || messageId === undefined ? undefined : drafts.get(chatId, ctx.actor.id, messageId);
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
    const card = await createAndAnnounce(deps, ctx, ids, draft.preset, resolveSettings(draft.preset));
    await ctx.editMessageText(card.text, card.extra);
    return ctx.answerCbQuery(card.text);
  }
  const view = renderDraft(ctx.t, draft);
  await ctx.editMessageText(view.text, { parse_mode: 'HTML', ...view.keyboard });
  await ctx.answerCbQuery();
}

function renderDraft(t: Texts, draft: Draft) {
  const n = draft.selected.size;
  if (draft.step === 'accounts') {
    const choices = accountsOnPage(draft).map((a) => ({ ...a, selected: draft.selected.has(a.id) }));
    const tags = draft.tags.map((tag) => {
      const tagged = draft.accounts.filter((a) => a.healthy && a.tags.includes(tag));
      return { tag, selected: tagged.length > 0 && tagged.every((a) => draft.selected.has(a.id)) };
    });
    return {
      text: t.newTask.pickAccounts(n, draft.accounts.length),
      keyboard: draftAccountsKeyboard(t, choices, draft.page, pageCount(draft), tags),
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
  const shown = joinFew(names);
  return {
    text: t.newTask.confirm(n, escapeHtml(shown), draft.preset ?? t.newTask.defaultPreset),
    keyboard: draftConfirmKeyboard(t),
  };
}
