// Session upload (admin): a JSON file captioned `/session <username>` becomes that account's login
// session — validated, encrypted with SESSION_ENCRYPTION_KEY, stored and audited — and the message
// holding the file is deleted whatever the outcome. Cookie contents are never logged or echoed.
import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import type { Document } from 'telegraf/types';
import { attachSession, findAccountsByUsernames } from '../../../db/accounts-repo.ts';
import { recordAudit } from '../../../db/audit-repo.ts';
import { encryptSession } from '../../../tasks/session-cipher.ts';
import { escapeHtml, truncate } from '../../format.ts';
import { parseAccountRef } from '../account-input.ts';
import { type BotContext, type BotDeps, hasRole, requireRole } from '../context.ts';
import { MAX_SESSION_BYTES, parseSessionFile } from './session-file.ts';

const CAPTION_RE = /^\/session(?:@\w+)?(?:\s+|$)/i;
const DOWNLOAD_TIMEOUT_MS = 30_000;

export function sessionUploadFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db, sessionKey } = deps;

  feature.on(message('document'), async (ctx, next) => {
    const caption = ctx.message.caption ?? '';
    const command = CAPTION_RE.exec(caption);
    if (!command) return next();
    const args = caption.slice(command[0].length).split(/\s+/).filter(Boolean);
    const allowed = hasRole(ctx.actor, 'admin');
    let answer = '';
    let deleted = false;
    try {
      if (allowed) answer = await attach(ctx, args, ctx.message.document);
    } finally {
      deleted = await ctx.deleteMessage().then(
        () => true,
        () => false,
      );
    }
    // Refused only now, so the file is gone from the chat before anyone reads the refusal.
    if (!allowed) {
      await requireRole(ctx, db, 'admin', 'session');
      return;
    }
    const note = deleted ? ctx.t.session.deleted : ctx.t.session.notDeleted;
    await ctx.reply(`${answer}\n${note}`, { parse_mode: 'HTML' });
  });

  // /session typed as a text message: there is no file to attach.
  feature.command('session', (ctx) => ctx.reply(ctx.t.session.usage, { parse_mode: 'HTML' }));

  /** Validates, downloads, parses and stores; returns the one line to answer with. */
  const attach = async (ctx: BotContext, args: string[], document: Document): Promise<string> => {
    const t = ctx.t.session;
    if (args.length !== 1) return t.usage;
    const username = parseAccountRef(args[0]!);
    if (!username) return ctx.t.badAccountName(escapeHtml(truncate(args[0]!, 40)));
    if (!sessionKey) return t.noKey;
    const [account] = await findAccountsByUsernames(db, [username]);
    if (!account) return t.unknownAccount(escapeHtml(username));
    const tooBig = t.tooBig(MAX_SESSION_BYTES / 1024);
    if ((document.file_size ?? 0) > MAX_SESSION_BYTES) return tooBig;
    const bytes = await download(ctx, document.file_id);
    if (bytes.length > MAX_SESSION_BYTES) return tooBig;
    const parsed = parseSessionFile(bytes);
    if (!parsed.ok) {
      if (parsed.problem === 'badShape') return t.badShape(escapeHtml(truncate(parsed.detail, 200)));
      return parsed.problem === 'notJson' ? t.notJson : t.noCookies;
    }
    const cookies = parsed.state.cookies.length;
    const blob = encryptSession(sessionKey, parsed.state);
    await db.transaction(async (tx) => {
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
    });
    return t.attached(escapeHtml(account.username), cookies);
  };

  return feature;
}

/** The file's bytes; the link holds the bot token, so it appears in no error. */
async function download(ctx: BotContext, fileId: string): Promise<Uint8Array> {
  const link = await ctx.telegram.getFileLink(fileId);
  let response: Response;
  try {
    response = await fetch(link, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (cause) {
    throw new Error('could not download the session file', { cause: (cause as Error).name });
  }
  if (!response.ok) throw new Error(`could not download the session file: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
