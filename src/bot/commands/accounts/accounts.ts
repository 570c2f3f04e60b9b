// Accounts: /accounts (viewer+) shows each account's health, last warmup, whether a session is
// attached, its proxy host and its platform — never the session or the proxy's credentials;
// /account_add <username> [proxy_url] [platform=…] (admin) adds one, audited. No reply quotes a URL
// the admin typed.
import { Composer } from 'telegraf';
import { insertAccount, listAccountSummaries } from '../../../db/accounts-repo.ts';
import { recordAudit } from '../../../db/audit-repo.ts';
import { chooseIdentity } from '../../../tasks/account-identity.ts';
import { type BrowserIdentity, describeIdentity, readIdentity } from '../../../warmup/identity.ts';
import { browserProfileSchema } from '../../../warmup/providers/provider.ts';
import type { Texts } from '../../i18n/index.ts';
import { sinceOrDateTime } from '../../i18n/intl.ts';
import { escapeHtml, MAX_TEXT, truncate } from '../../shared/text-budget.ts';
import { formatHealth } from '../../shared/wording.ts';
import { parseProxyUrl, parseUsername, proxyHost } from '../account-input.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import {
  type Platforms,
  platformName,
  platformsOf,
  readPlatform,
  takePlatformArg,
} from '../platform-input.ts';
import { looksLikeUrl, shownInput } from '../quoted-input.ts';

type AccountSummary = Awaited<ReturnType<typeof listAccountSummaries>>[number];

const HEALTH_ICON: Record<string, string> = {
  ok: '✅',
  unknown: '❔',
  logged_out: '🔒',
  captcha: '🧩',
  blocked: '⛔',
  proxy_error: '🌐',
};

export function accountsFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db } = deps;

  feature.command('accounts', async (ctx) => {
    const rows = await listAccountSummaries(db);
    await ctx.reply(formatAccounts(ctx.t, rows, new Date(), platformsOf(deps)), { parse_mode: 'HTML' });
  });

  // A message holding a proxy password is deleted by the credentials guard (middlewares/).
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
      return ctx.t.platforms.unknown(escapeHtml(truncate(platformText!, 40)), platforms.names.join(', '));
    if (args.length < 1 || args.length > 2) return t.usageAdd;
    // The proxy typed first is a common slip; its URL (maybe with a password) is never echoed.
    if (looksLikeUrl(args[0]!)) return t.proxyFirst;
    const username = parseUsername(args[0]!);
    if (!username) return t.badUsername(shownInput(args[0]!) ?? ctx.t.hiddenLink);
    const proxy = args[1] === undefined ? undefined : parseProxyUrl(args[1]);
    if (args[1] !== undefined && !proxy) return t.badProxy;
    const row = await db.transaction(async (tx) => {
      const inserted = await insertAccount(tx, {
        username,
        proxyUrl: proxy?.url ?? null,
        createdBy: ctx.actor.id,
        // Chosen once, here, unlike every other account's; /account_set changes it.
        identity: await chooseIdentity(tx),
        platform,
      });
      if (inserted) {
        await recordAudit(tx, {
          actorId: ctx.actor.id,
          action: 'account.add',
          details: { accountId: inserted.id, username, proxyHost: proxy?.host ?? null, platform },
        });
      }
      return inserted;
    });
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
  a: Pick<AccountSummary, 'browser' | 'browserProfile'>,
  identity: BrowserIdentity | undefined,
): string {
  const profile = browserProfileSchema.safeParse(a.browserProfile);
  if (a.browser === 'cdp' && profile.success)
    return t.accounts.cdp(escapeHtml(`${profile.data.provider}:${profile.data.profileId}`));
  if (!identity) return t.accounts.noIdentity;
  return `${escapeHtml(describeIdentity(identity))}${identity.userAgent ? ` · ${t.accounts.fixedUserAgent}` : ''}`;
}

export function formatAccounts(
  t: Texts,
  rows: AccountSummary[],
  now = new Date(),
  platforms?: Platforms,
): string {
  if (rows.length === 0) return t.accounts.empty;
  const lines = [t.accounts.header(rows.length)];
  let length = lines[0]!.length;
  for (const [i, a] of rows.entries()) {
    const host = proxyHost(a.proxyUrl);
    const identity = readIdentity(a.identity);
    const line = [
      `${HEALTH_ICON[a.health] ?? '❔'} <b>@${escapeHtml(a.username)}</b> — ${formatHealth(t, a.health)}`,
      a.lastWarmedAt
        ? t.accounts.lastWarmed(sinceOrDateTime(t.locale, a.lastWarmedAt, now))
        : t.accounts.neverWarmed,
      a.hasSession ? t.accounts.session : t.accounts.noSession,
      ...(host ? [t.accounts.proxy(escapeHtml(host))] : []),
      ...(platforms ? [escapeHtml(platformName(a.platform, platforms))] : []),
    ].join(' · ');
    const shown = `${line}\n    ${browserLine(t, a, identity)}`;
    // Room is kept for the "…and N more" line.
    if (length + shown.length + 1 > MAX_TEXT - 64) {
      lines.push(t.accounts.more(rows.length - i));
      break;
    }
    lines.push(shown);
    length += shown.length + 1;
  }
  return lines.join('\n');
}
