// /account_set <username> key=value… (admin): changes an account's stored browser identity —
// country, locale, timezone, viewport, scale, user agent, or a fresh draw —, its browser (local,
// or a cdp anti-detect profile) and its platform (a known site profile): all or nothing, audited.
import { Composer } from 'telegraf';
import {
  findAccountsByUsernames,
  setAccountBrowser,
  setAccountIdentity,
  setAccountPlatform,
} from '../../../db/accounts-repo.ts';
import { recordAudit } from '../../../db/audit-repo.ts';
import { takenIdentityKeys } from '../../../tasks/account-identity.ts';
import { describeIdentity, fallbackIdentity, identityKey, readIdentity } from '../../../warmup/identity.ts';
import type { BrowserProfile } from '../../../warmup/providers/provider.ts';
import { createRandom } from '../../../warmup/random.ts';
import { escapeHtml, truncate } from '../../shared/text-budget.ts';
import { parseAccountRef } from '../account-input.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import { platformsOf, readPlatform } from '../platform-input.ts';
import {
  applyBrowserSettings,
  applySettings,
  parseSettings,
  type SettingError,
  touchesIdentity,
  touchesMoreThanPlatform,
} from './settings.ts';

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
    const platforms = platformsOf(deps);
    const platformText = parsed.pairs.get('platform');
    const platform = platformText === undefined ? undefined : readPlatform(platformText, platforms);
    if (platformText !== undefined && platform === undefined)
      return ctx.t.platforms.unknown(escapeHtml(truncate(platformText, 40)), platforms.names.join(', '));
    return db.transaction(async (tx) => {
      const [account] = await findAccountsByUsernames(tx, [username]);
      if (!account) return t.unknownAccount(escapeHtml(username));
      const base = readIdentity(account.identity) ?? fallbackIdentity(account.id, createRandom);
      const taken = await takenIdentityKeys(tx, account.id);
      const applied = applySettings(base, parsed.pairs, createRandom(), taken);
      if ('kind' in applied) return explain(ctx, applied);
      const browser = applyBrowserSettings(account, parsed.pairs);
      if ('kind' in browser) return explain(ctx, browser);
      if (touchesIdentity(parsed.pairs)) {
        if (taken.has(identityKey(applied.identity)) && !applied.shared) return t.clash;
        await setAccountIdentity(tx, account.id, applied.identity);
      }
      await setAccountBrowser(tx, account.id, browser);
      if (platform !== undefined) await setAccountPlatform(tx, account.id, platform);
      await recordAudit(tx, {
        actorId: ctx.actor.id,
        action: 'account.set',
        details: {
          accountId: account.id,
          keys: [...parsed.pairs.keys()],
          ...(platform !== undefined ? { platform } : {}),
        },
      });
      const platformLine =
        platform === undefined
          ? ''
          : ctx.t.platforms.set(escapeHtml(account.username), escapeHtml(platform ?? platforms.defaultName));
      if (!touchesMoreThanPlatform(parsed.pairs)) return platformLine;
      const ua = applied.identity.userAgent ? ` · ${ctx.t.accounts.fixedUserAgent}` : '';
      const shown = touchesIdentity(parsed.pairs) ? describeIdentity(applied.identity) : '';
      const done =
        browser.browser === 'cdp'
          ? t.doneCdp(escapeHtml(account.username), escapeHtml(describeProfile(browser.browserProfile)))
          : t.done(
              escapeHtml(account.username),
              escapeHtml(shown || describeIdentity(applied.identity)) + ua,
            );
      return platformLine ? `${done}\n${platformLine}` : done;
    });
  };

  return feature;
}

function describeProfile(profile: BrowserProfile | null): string {
  if (!profile) return '';
  return `${profile.provider}:${profile.profileId}${profile.injectSession ? ' (+session)' : ''}`;
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
