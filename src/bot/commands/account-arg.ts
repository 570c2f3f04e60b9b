// The one account a `/command <name>` names (/account, /account_resume): the row, or undefined
// once the chat has been told why not — usage, a name that cannot be one (never echoed raw), or
// no such account.
import { findAccountsByUsernames } from '../../db/accounts-repo.ts';
import type { Executor } from '../../db/client.ts';
import type { AccountRow } from '../../db/schema.ts';
import { escapeHtml } from '../shared/text-budget.ts';
import { parseAccountRef } from './account-input.ts';
import { type BotContext, commandArgs } from './context.ts';
import { shownInput } from './quoted-input.ts';

export async function accountFromArgs(
  ctx: BotContext,
  db: Executor,
  usage: string,
): Promise<AccountRow | undefined> {
  const args = commandArgs(ctx);
  if (args.length !== 1) return void (await ctx.reply(usage, { parse_mode: 'HTML' }));
  const name = parseAccountRef(args[0]!);
  if (!name) {
    const shown = shownInput(args[0]!) ?? ctx.t.hiddenLink;
    return void (await ctx.reply(ctx.t.badAccountName(shown), { parse_mode: 'HTML' }));
  }
  const [account] = await findAccountsByUsernames(db, [name]);
  if (!account) return void (await ctx.reply(ctx.t.unknownAccount(escapeHtml(name)), { parse_mode: 'HTML' }));
  return account;
}
