// Session upload (admin): a JSON file captioned `/session <username>` (or `/session@thisbot …`)
// becomes that account's login session — validated, encrypted with SESSION_ENCRYPTION_KEY, stored
// and audited — and the message holding the file is deleted whatever the outcome; a caption fixed
// by editing counts too. A ZIP captioned `/session` alone attaches a file per account (login-zip.ts).
// Files come over HTTP, or from disk when a self-hosted Bot API runs with --local. Cookie contents
// are never logged or echoed.
import { Composer } from 'telegraf';
import { editedMessage, message } from 'telegraf/filters';
import type { Document } from 'telegraf/types';
import { attachSession, findAccountsByUsernames } from '../../../db/accounts-repo.ts';
import { recordAudit } from '../../../db/audit-repo.ts';
import { liftQuarantine } from '../../../tasks/quarantine.ts';
import { encryptSession } from '../../../tasks/session-cipher.ts';
import { parseAccountRef } from '../account-input.ts';
import { type BotContext, type BotDeps, hasRole, requireRole } from '../context.ts';
import { downloadDocument } from '../document-download.ts';
import { deleteMessageOnce } from '../middlewares/credentials.ts';
import { shownInput } from '../quoted-input.ts';
import { attachZip, isZip } from './login-zip.ts';
import { describeProblem } from './problem.ts';
import { MAX_SESSION_BYTES, parseSessionFile } from './session-file.ts';

const CAPTION_RE = /^\/session(?:@(\w+))?(?:\s+|$)/i;

export function sessionUploadFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db, sessionKey } = deps;

  const onDocument = async (
    ctx: BotContext,
    caption: string,
    document: Document,
    next: () => Promise<void>,
  ) => {
    const command = CAPTION_RE.exec(caption);
    // `/session@otherbot` is another bot's business, in a group where several read captions.
    const addressee = command?.[1];
    if (!command || (addressee && addressee.toLowerCase() !== ctx.me?.toLowerCase())) return next();
    const args = caption.slice(command[0].length).split(/\s+/).filter(Boolean);
    const allowed = hasRole(ctx.actor, 'admin');
    let answer = '';
    let deleted = false;
    try {
      if (allowed) answer = await attach(ctx, args, document);
    } finally {
      deleted = await deleteMessageOnce(ctx);
    }
    // Refused only now, so the file is gone from the chat before anyone reads the refusal.
    if (!allowed) {
      await requireRole(ctx, db, 'admin', 'session');
      return;
    }
    const note = deleted ? ctx.t.session.deleted : ctx.t.session.notDeleted;
    await ctx.reply(`${answer}\n${note}`, { parse_mode: 'HTML' });
  };

  feature.on(message('document'), (ctx, next) =>
    onDocument(ctx, ctx.message.caption ?? '', ctx.message.document, next),
  );
  // A file sent with a wrong caption and then corrected: the edit arrives as an edited_message.
  feature.on(editedMessage('document'), (ctx, next) =>
    onDocument(ctx, ctx.editedMessage.caption ?? '', ctx.editedMessage.document, next),
  );

  // /session typed as a text message: there is no file to attach.
  feature.command('session', (ctx) => ctx.reply(ctx.t.session.usage, { parse_mode: 'HTML' }));

  /** Validates, downloads, parses and stores; returns the one line to answer with. */
  const attach = async (ctx: BotContext, args: string[], document: Document): Promise<string> => {
    const t = ctx.t.session;
    if (args.length === 0 && isZip(document)) return attachZip(deps, ctx, document);
    if (args.length !== 1) return t.usage;
    const username = parseAccountRef(args[0]!);
    if (!username) return ctx.t.badAccountName(shownInput(args[0]!) ?? ctx.t.hiddenLink);
    if (!sessionKey) return t.noKey;
    const [account] = await findAccountsByUsernames(db, [username]);
    if (!account) return t.unknownAccount(shownInput(username) ?? '');
    const tooBig = t.tooBig(MAX_SESSION_BYTES / 1024);
    if ((document.file_size ?? 0) > MAX_SESSION_BYTES) return tooBig;
    const bytes = await downloadDocument(ctx, document.file_id, MAX_SESSION_BYTES);
    if (bytes === 'unreadable') return t.unreadable;
    if (bytes.length > MAX_SESSION_BYTES) return tooBig;
    const parsed = parseSessionFile(bytes);
    if (!parsed.ok) return describeProblem(ctx, parsed);
    const cookies = parsed.state.cookies.length;
    const blob = encryptSession(sessionKey, parsed.state);
    const resumed = await db.transaction(async (tx) => {
      await attachSession(tx, account.id, blob);
      await recordAudit(tx, {
        actorId: ctx.actor.id,
        action: 'account.session',
        details: {
          accountId: account.id,
          username: account.username,
          cookies,
          origins: parsed.state.origins.length,
        },
      });
      // A new session is a person having looked at the account: it resumes a paused one.
      return liftQuarantine(tx, { accountId: account.id, actorId: ctx.actor.id, via: 'session' });
    });
    const attached = t.attached(shownInput(account.username) ?? '', cookies);
    return resumed ? `${attached}\n${ctx.t.fleet.quarantine.resumedBySession}` : attached;
  };

  return feature;
}
