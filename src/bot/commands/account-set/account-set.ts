// /account_set <username> key=value… (admin): changes an account's stored browser identity —
// country, locale, timezone, viewport, scale, user agent, or a fresh draw — all or nothing, audited.
import { Composer } from 'telegraf';
import { findAccountsByUsernames, setAccountIdentity } from '../../../db/accounts-repo.ts';
import { recordAudit } from '../../../db/audit-repo.ts';
import { takenIdentityKeys } from '../../../tasks/account-identity.ts';
import { describeIdentity, fallbackIdentity, identityKey, readIdentity } from '../../../warmup/identity.ts';
import { createRandom } from '../../../warmup/random.ts';
import { escapeHtml, truncate } from '../../format.ts';
import { parseAccountRef } from '../account-input.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import { applySettings, parseSettings, type SettingError } from './settings.ts';

export function accountSetFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db } = deps;

  feature.command('account_set', async (ctx) => {
    if (!(await requireRole(ctx, db, 'admin', 'account_set'))) return;
    await ctx.reply(await setAccount(ctx, commandArgs(ctx)), { parse_mode: 'HTML' });
  });

  /** Validates, applies and stores; returns the one answer. */
  const setAccount = async (ctx: BotContext, args: string[]): Promise<string> => {
    const t = ctx.t.accountSet;
    if (args.length < 2) return t.usage;
    const username = parseAccountRef(args[0]!);
    if (!username) return t.unknownAccount(escapeHtml(truncate(args[0]!, 40)));
    const parsed = parseSettings(args.slice(1));
    if ('kind' in parsed) return explain(ctx, parsed);
    return db.transaction(async (tx) => {
      const [account] = await findAccountsByUsernames(tx, [username]);
      if (!account) return t.unknownAccount(escapeHtml(username));
      const base = readIdentity(account.identity) ?? fallbackIdentity(account.id, createRandom);
      const taken = await takenIdentityKeys(tx, account.id);
      const applied = applySettings(base, parsed.pairs, createRandom(), taken);
      if ('kind' in applied) return explain(ctx, applied);
      if (taken.has(identityKey(applied.identity)) && !applied.shared) return t.clash;
      await setAccountIdentity(tx, account.id, applied.identity);
      await recordAudit(tx, {
        actorId: ctx.actor.id,
        action: 'account.set',
        details: { accountId: account.id, keys: [...parsed.pairs.keys()] },
      });
      const ua = applied.identity.userAgent ? ` · ${ctx.t.accounts.fixedUserAgent}` : '';
      return t.done(escapeHtml(account.username), escapeHtml(describeIdentity(applied.identity)) + ua);
    });
  };

  return feature;
}

function explain(ctx: BotContext, error: SettingError): string {
  const t = ctx.t.accountSet;
  const shown = (text: string) => escapeHtml(truncate(text, 60));
  switch (error.kind) {
    case 'noPairs':
      return t.usage;
    case 'notPair':
      return t.notPair(shown(error.text));
    case 'unknownKey':
      return t.unknownKey(shown(error.key));
    case 'repeated':
      return t.repeated(shown(error.key));
    case 'badValue':
      return t.badValue[error.key](shown(error.value));
  }
}
