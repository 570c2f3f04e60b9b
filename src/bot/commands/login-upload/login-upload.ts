// Login upload (admin): a JSON file captioned `/login <username>` (or `/login@thisbot …`) becomes
// that account's saved login — validated, encrypted with SESSION_ENCRYPTION_KEY, stored and
// audited — and the message holding the file is deleted whatever the outcome; a caption fixed by
// editing counts too. A ZIP captioned `/login` alone attaches a file per account (login-zip.ts).
// `/session`, the command's name before "session" came to mean a warmup, is still read the same.
// Files come over HTTP, or from disk when a self-hosted Bot API runs with --local. Cookie contents
// are never logged or echoed.
import { Composer } from 'telegraf';
import { editedMessage, message } from 'telegraf/filters';
import type { Document } from 'telegraf/types';
import { findAccountsByUsernames } from '../../../db/accounts-repo.ts';
import { attachLogins } from '../../../tasks/fleet/attach-logins.ts';
import { parseAccountRef } from '../account-input.ts';
import { type BotContext, type BotDeps, hasRole, requireRole } from '../context.ts';
import { captionCommand, downloadDocument } from '../document-download.ts';
import { deleteMessageOnce } from '../middlewares/credentials.ts';
import { shownInput } from '../quoted-input.ts';
import { MAX_LOGIN_BYTES, parseLoginFile } from './login-file.ts';
import { attachZip, isZip } from './login-zip.ts';
import { describeProblem } from './problem.ts';

/** The command's names: `login`, and `session` as people and older docs still write it. */
export const LOGIN_COMMANDS = ['login', 'session'];
/** `/session` is the command's old name, still taken. */
const LOGIN_CAPTIONS = ['login', 'session'];

export function loginUploadFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db, secretsKey } = deps;

  const onDocument = async (
    ctx: BotContext,
    caption: string,
    document: Document,
    next: () => Promise<void>,
  ) => {
    const args = captionCommand(ctx, caption, LOGIN_CAPTIONS);
    if (!args) return next();
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
      await requireRole(ctx, db, 'admin', 'login');
      return;
    }
    const note = deleted ? ctx.t.login.deleted : ctx.t.login.notDeleted;
    await ctx.reply(`${answer}\n${note}`, { parse_mode: 'HTML' });
  };

  feature.on(message('document'), (ctx, next) =>
    onDocument(ctx, ctx.message.caption ?? '', ctx.message.document, next),
  );
  // A file sent with a wrong caption and then corrected: the edit arrives as an edited_message.
  feature.on(editedMessage('document'), (ctx, next) =>
    onDocument(ctx, ctx.editedMessage.caption ?? '', ctx.editedMessage.document, next),
  );

  // /login typed as a text message: there is no file to attach.
  feature.command(LOGIN_COMMANDS, (ctx) => ctx.reply(ctx.t.login.usage, { parse_mode: 'HTML' }));

  /** Validates, downloads, parses and stores; returns the one line to answer with. */
  const attach = async (ctx: BotContext, args: string[], document: Document): Promise<string> => {
    const t = ctx.t.login;
    if (args.length === 0 && isZip(document)) return attachZip(deps, ctx, document);
    if (args.length !== 1) return t.usage;
    const username = parseAccountRef(args[0]!);
    if (!username) return ctx.t.badAccountName(shownInput(args[0]!) ?? ctx.t.hiddenLink);
    if (!secretsKey) return t.noKey;
    // Asked before the download, and again (locked) when the login is attached.
    const [account] = await findAccountsByUsernames(db, [username]);
    if (!account) return t.unknownAccount(shownInput(username) ?? '');
    const tooBig = t.tooBig(MAX_LOGIN_BYTES / 1024);
    if ((document.file_size ?? 0) > MAX_LOGIN_BYTES) return tooBig;
    const bytes = await downloadDocument(ctx, document.file_id, MAX_LOGIN_BYTES);
    if (bytes === 'unreadable') return t.unreadable;
    if (bytes.length > MAX_LOGIN_BYTES) return tooBig;
    const parsed = parseLoginFile(bytes);
    if (!parsed.ok) return describeProblem(ctx, parsed);
    const cookies = parsed.state.cookies.length;
    const entry = {
      username: account.username,
      state: parsed.state,
      cookies,
      origins: parsed.state.origins.length,
    };
    const result = await attachLogins(db, secretsKey, {
      entries: [entry],
      actorId: ctx.actor.id,
      via: 'file',
    });
    const [done] = result.attached;
    if (!done) return t.unknownAccount(shownInput(username) ?? ''); // removed meanwhile
    const attached = t.attached(shownInput(account.username) ?? '', cookies);
    return done.resumed ? `${attached}\n${ctx.t.fleet.quarantine.resumedByLogin}` : attached;
  };

  return feature;
}
