// Accounts: /accounts [health] [tag:x] [page] (viewer+) shows the fleet a page at a time with
// filter buttons (list.ts) — health, last warmup, saved login, proxy host, platform, tags; never a
// saved login or a proxy's credentials; /account_add <username> [proxy_url] [platform=…] (admin) adds
// one, audited. No reply quotes a URL the admin typed.
import { Composer } from 'telegraf';
import { ProxyKeyMissingError } from '../../../db/account-proxy.ts';
import { insertAccount } from '../../../db/accounts-repo.ts';
import { recordAudit } from '../../../db/audit-repo.ts';
import { storeAccountProxies } from '../../../db/fleet-repo.ts';
import { chooseIdentity } from '../../../tasks/account-identity.ts';
import { parseProxy } from '../../../tasks/fleet/proxy.ts';
import { type BrowserIdentity, describeIdentity } from '../../../warmup/identity.ts';
import { browserProfileSchema } from '../../../warmup/providers/provider.ts';
import type { Texts } from '../../i18n/index.ts';
import { ignoreNotModified } from '../../notifications/send-with-retry.ts';
import { escapeHtml } from '../../shared/text-budget.ts';
import { parseUsername } from '../account-input.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import { platformsOf, readPlatform, takePlatformArg } from '../platform-input.ts';
import { looksLikeUrl, shownInput } from '../quoted-input.ts';
import { accountsListView, parseListArgs } from './list.ts';
import { decodeListView, isListCallbackData } from './list-keyboard.ts';

const NO_KEY = Symbol('no key');

export function accountsFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db } = deps;
  const now = () => new Date((deps.now ?? Date.now)());

  feature.command('accounts', async (ctx) => {
    const view = parseListArgs(commandArgs(ctx));
    if ('bad' in view) {
      const shown = shownInput(view.bad) ?? ctx.t.hiddenLink;
      return void (await ctx.reply(ctx.t.fleet.list.badArg(shown), { parse_mode: 'HTML' }));
    }
    const shown = await accountsListView(db, ctx.t, view, now(), platformsOf(deps));
    await ctx.reply(shown.text, shown.extra);
  });

  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (!isListCallbackData(data)) return next();
    const view = decodeListView(data);
    if (!view) return void (await ctx.answerCbQuery(ctx.t.fleet.list.badButton, { show_alert: true }));
    const shown = await accountsListView(db, ctx.t, view, now(), platformsOf(deps));
    await ctx.editMessageText(shown.text, shown.extra).catch(ignoreNotModified);
    await ctx.answerCbQuery();
  });

  // A message naming a proxy's password is deleted (middlewares/credentials.ts).
  feature.command('account_add', async (ctx) => {
    if (!(await requireRole(ctx, db, 'admin', 'account_add'))) return;
    await ctx.reply(await addAccount(ctx, commandArgs(ctx)), { parse_mode: 'HTML' });
  });

  /** Validates and inserts; returns the one line to answer with. */
  const addAccount = async (ctx: BotContext, words: string[]): Promise<string> => {
    const t = ctx.t.accounts;
    const { rest: args, value: platformText } = takePlatformArg(words);
    const platforms = platformsOf(deps);
    const platform = platformText === undefined ? null : readPlatform(platformText, platforms);
    if (platform === undefined)
      return ctx.t.platforms.unknown(
        shownInput(platformText!) ?? ctx.t.hiddenLink,
        platforms.names.join(', '),
      );
    if (args.length < 1 || args.length > 2) return t.usageAdd;
    // The proxy typed first is a common slip; it (maybe with a password) is never echoed.
    if (looksLikeUrl(args[0]!) || parseProxy(args[0]!).ok) return t.proxyFirst;
    const username = parseUsername(args[0]!);
    if (!username) return t.badUsername(shownInput(args[0]!) ?? ctx.t.hiddenLink);
    const parsed = args[1] === undefined ? undefined : parseProxy(args[1]);
    if (parsed && !parsed.ok) return ctx.t.fleet.set.badProxy(ctx.t.fleet.proxyReasons[parsed.reason]);
    const proxy = parsed?.proxy;
    const row = await db
      .transaction(async (tx) => {
        const inserted = await insertAccount(tx, {
          username,
          createdBy: ctx.actor.id,
          // Chosen once, here, unlike every other account's; /account_set changes it.
          identity: await chooseIdentity(tx),
          platform,
        });
        if (inserted) {
          // Through the one proxy writer (which encrypts it at rest).
          if (proxy)
            await storeAccountProxies(tx, [{ accountId: inserted.id, proxyUrl: proxy.url }], {
              secretsKey: deps.secretsKey,
            });
          await recordAudit(tx, {
            actorId: ctx.actor.id,
            action: 'account.add',
            details: { accountId: inserted.id, username, proxyHost: proxy?.host ?? null, platform },
          });
        }
        return inserted;
      })
      .catch((err) => {
        // Without a key a proxy with credentials is refused (db/account-proxy.ts): nothing was written.
        // Answered here rather than by bot.catch, so the answer comes before the guard's deletion note.
        if (err instanceof ProxyKeyMissingError) return NO_KEY;
        throw err;
      });
    if (row === NO_KEY) return ctx.t.inbox.noKeyForProxy;
    const name = escapeHtml(username);
    if (!row) return t.exists(name);
    const added = proxy ? t.addedWithProxy(name, escapeHtml(proxy.host)) : t.added(name);
    return platform ? `${added}\n${ctx.t.platforms.set(name, escapeHtml(platform))}` : added;
  };

  return feature;
}

/** The browser an account shows a site: its anti-detect profile, or its stored identity. */
export function browserLine(
  t: Texts,
  a: { browser: string; browserProfile: unknown },
  identity: BrowserIdentity | undefined,
): string {
  const profile = browserProfileSchema.safeParse(a.browserProfile);
  if (a.browser === 'cdp' && profile.success)
    return t.accounts.cdp(escapeHtml(`${profile.data.provider}:${profile.data.profileId}`));
  if (!identity) return t.accounts.noIdentity;
  return `${escapeHtml(describeIdentity(identity))}${identity.userAgent ? ` · ${t.accounts.fixedUserAgent}` : ''}`;
}
