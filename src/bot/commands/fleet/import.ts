// /accounts_import (admin): a CSV or TXT document with that caption (or one fixed by editing) is
// deleted from the chat at once — it holds proxy passwords — read and previewed against the fleet,
// and answered with the preview and Apply / Cancel. The parsed file waits in this process's memory
// only, under the preview message, for 15 minutes: Apply by someone else, after that, or a second
// time is refused with one sentence; Apply writes everything in one transaction, audited.
import type { Document } from 'telegraf/types';
import { applyImport, previewImport } from '../../../tasks/fleet/import.ts';
import { IMPORT_LIMITS, type ParsedImport, parseImportFile } from '../../../tasks/fleet/import-file.ts';
import { ignoreNotModified } from '../../notifications/send-with-retry.ts';
import { createExpiringStore } from '../../shared/expiring-store.ts';
import { visibleLength } from '../../shared/text-budget.ts';
import { type BotContext, type BotDeps, hasRole, requireRole } from '../context.ts';
import { captionCommand, downloadDocument } from '../document-download.ts';
import { deleteMessageOnce } from '../middlewares/credentials.ts';
import { platformsOf } from '../platform-input.ts';
import { describeImportRefusal, formatImportPreview } from './import-preview.ts';
import { decodeImportTap, importKeyboard } from './keyboard.ts';

export const IMPORT_TTL_MS = 15 * 60_000;

type PendingImport = { userId: number; file: ParsedImport };
const keyOf = (chatId: number, messageId: number) => `${chatId}:${messageId}`;

export function createImportFlow(deps: BotDeps) {
  const pending = createExpiringStore<PendingImport>({ ttlMs: IMPORT_TTL_MS, now: deps.now });

  /** A document: ours when its caption is /accounts_import (addressed to us); `next` otherwise. */
  const onDocument = async (
    ctx: BotContext,
    caption: string,
    document: Document,
    next: () => Promise<void>,
  ) => {
    if (!captionCommand(ctx, caption, ['accounts_import'])) return next();
    // The preview's 15 minutes count from the file's arrival.
    const arrived = (deps.now ?? Date.now)();
    const allowed = hasRole(ctx.actor, 'admin');
    // Gone from the chat before anything is read or said: the file holds passwords.
    const deleted = await deleteMessageOnce(ctx);
    if (!allowed) return void (await requireRole(ctx, deps.db, 'admin', 'accounts_import'));
    const note = deleted ? ctx.t.login.deleted : ctx.t.login.notDeleted;
    const answer = await preview(ctx, document, visibleLength(note) + 1);
    const sent = await ctx.reply(`${answer.text}\n${note}`, { parse_mode: 'HTML', ...answer.keyboard });
    if (answer.file && ctx.chat)
      pending.put(keyOf(ctx.chat.id, sent.message_id), { userId: ctx.actor.id, file: answer.file }, arrived);
  };

  type Preview = { text: string; keyboard?: ReturnType<typeof importKeyboard>; file?: ParsedImport };
  const preview = async (ctx: BotContext, document: Document, reserve: number): Promise<Preview> => {
    const t = ctx.t.fleet.import;
    const tooLarge = { text: t.tooLarge(Math.floor(IMPORT_LIMITS.maxBytes / 1024)) };
    if ((document.file_size ?? 0) > IMPORT_LIMITS.maxBytes) return tooLarge;
    const bytes = await downloadDocument(ctx, document.file_id, IMPORT_LIMITS.maxBytes);
    if (bytes === 'unreadable') return { text: ctx.t.login.unreadable };
    const parsed = parseImportFile(bytes, { platforms: platformsOf(deps).names });
    if (!parsed.ok) return { text: describeImportRefusal(ctx.t, parsed.refusal) };
    const shown = await previewImport(deps.db, parsed.file, { secretsKey: deps.secretsKey });
    const text = formatImportPreview(ctx.t, shown, reserve);
    const changes = shown.added + shown.changed;
    if (changes === 0) return { text };
    return { text, keyboard: importKeyboard(ctx.t, changes), file: parsed.file };
  };

  /** Apply or Cancel on a preview. */
  const onTap = async (ctx: BotContext, data: string | undefined) => {
    const t = ctx.t.fleet.import;
    const tap = decodeImportTap(data);
    if (!tap) return void (await ctx.answerCbQuery(t.badButton, { show_alert: true }));
    if (!(await requireRole(ctx, deps.db, 'admin', 'accounts_import'))) return;
    const messageId = ctx.callbackQuery?.message?.message_id;
    const key = ctx.chat && messageId !== undefined ? keyOf(ctx.chat.id, messageId) : '';
    const entry = pending.get(key);
    if (!entry) return void (await ctx.answerCbQuery(t.expired, { show_alert: true }));
    if (entry.userId !== ctx.actor.id)
      return void (await ctx.answerCbQuery(t.notYours, { show_alert: true }));
    // Taken before any await: a second tap finds nothing and writes nothing.
    pending.take(key);
    if (tap === 'cancel') {
      await ctx.editMessageText(t.cancelled).catch(ignoreNotModified);
      return void (await ctx.answerCbQuery());
    }
    const result = await applyImport(deps.db, entry.file, ctx.actor.id, { secretsKey: deps.secretsKey });
    await ctx
      .editMessageText(t.applied(result.added, result.changed, result.unchanged))
      .catch(ignoreNotModified);
    await ctx.answerCbQuery();
  };

  return { onDocument, onTap };
}
