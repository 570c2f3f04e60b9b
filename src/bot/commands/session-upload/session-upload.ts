// Session upload (admin): a JSON file captioned `/session <username>` (or `/session@thisbot …`)
// becomes that account's login session — validated, encrypted with SESSION_ENCRYPTION_KEY, stored
// and audited — and the message holding the file is deleted whatever the outcome; a caption fixed
// by editing counts too. Files come over HTTP, or from disk when a self-hosted Bot API runs with
// --local. Cookie contents are never logged or echoed.
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Composer } from 'telegraf';
import { editedMessage, message } from 'telegraf/filters';
import type { Document } from 'telegraf/types';
import { attachSession, findAccountsByUsernames } from '../../../db/accounts-repo.ts';
import { recordAudit } from '../../../db/audit-repo.ts';
import { liftQuarantine } from '../../../tasks/quarantine.ts';
import { encryptSession } from '../../../tasks/session-cipher.ts';
import { parseAccountRef } from '../account-input.ts';
import { type BotContext, type BotDeps, hasRole, requireRole } from '../context.ts';
import { deleteMessageOnce } from '../middlewares/credentials.ts';
import { shownInput } from '../quoted-input.ts';
import { MAX_SESSION_BYTES, parseSessionFile, type SessionFileResult } from './session-file.ts';

const CAPTION_RE = /^\/session(?:@(\w+))?(?:\s+|$)/i;
const DOWNLOAD_TIMEOUT_MS = 30_000;

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
    if (args.length !== 1) return t.usage;
    const username = parseAccountRef(args[0]!);
    if (!username) return ctx.t.badAccountName(shownInput(args[0]!) ?? ctx.t.hiddenLink);
    if (!sessionKey) return t.noKey;
    const [account] = await findAccountsByUsernames(db, [username]);
    if (!account) return t.unknownAccount(shownInput(username) ?? '');
    const tooBig = t.tooBig(MAX_SESSION_BYTES / 1024);
    if ((document.file_size ?? 0) > MAX_SESSION_BYTES) return tooBig;
    const bytes = await download(ctx, document.file_id);
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

function describeProblem(ctx: BotContext, parsed: Exclude<SessionFileResult, { ok: true }>): string {
  const t = ctx.t.session;
  switch (parsed.problem) {
    case 'badCookie':
      return t.badCookie(
        parsed.index,
        shownInput(parsed.name) ?? ctx.t.hiddenLink,
        t.cookieRules[parsed.rule],
      );
    case 'badShape':
      return t.badShape(shownInput(parsed.detail, 200) ?? ctx.t.hiddenLink);
    case 'notJson':
      return t.notJson;
    case 'noCookies':
      return t.noCookies;
  }
}

/**
 * The file's bytes, at most MAX_SESSION_BYTES + 1 of them (so "too big" is seen without reading
 * more). A self-hosted Bot API in --local mode answers an absolute path on its disk, read from
 * there; otherwise the file is downloaded. Link and path hold the bot token: they appear in no error.
 */
async function download(ctx: BotContext, fileId: string): Promise<Uint8Array | 'unreadable'> {
  const file = await ctx.telegram.getFile(fileId);
  if (file.file_path && path.isAbsolute(file.file_path)) return readLocal(file.file_path);
  const link = await ctx.telegram.getFileLink(file);
  let response: Response;
  try {
    response = await fetch(link, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (cause) {
    throw new Error('could not download the session file', { cause: (cause as Error).name });
  }
  if (!response.ok) throw new Error(`could not download the session file: HTTP ${response.status}`);
  return readCapped(response);
}

async function readLocal(filePath: string): Promise<Uint8Array | 'unreadable'> {
  const handle = await open(filePath, 'r').catch(() => undefined);
  // Not on this machine's disk: the Bot API server runs elsewhere (or the file is gone).
  if (!handle) return 'unreadable';
  try {
    const buffer = Buffer.alloc(MAX_SESSION_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

async function readCapped(response: Response): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of response.body ?? []) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > MAX_SESSION_BYTES) break;
  }
  return Buffer.concat(chunks);
}
