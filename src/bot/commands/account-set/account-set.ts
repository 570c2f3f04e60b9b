// /account_set <username> key=value… (admin): changes an account's stored browser identity —
// country, locale, timezone, viewport, scale, user agent, or a fresh draw — its browser (local, or
// a cdp anti-detect profile), its platform (a known site profile), its proxy
// (proxy=<url|host:port:user:pass|none>: the message is deleted, the answer names the host only)
// and its tags (tags=a,b or tags=none): all or nothing, audited.
import { Composer } from 'telegraf';
import {
  findAccountsByUsernames,
  setAccountBrowser,
  setAccountIdentity,
  setAccountPlatform,
} from '../../../db/accounts-repo.ts';
import { recordAudit } from '../../../db/audit-repo.ts';
import type { Executor } from '../../../db/client.ts';
import type { AccountRow } from '../../../db/schema.ts';
import { takenIdentityKeys } from '../../../tasks/account-identity.ts';
import { setAccountProxy } from '../../../tasks/fleet/account-proxy.ts';
import { setAccountTags } from '../../../tasks/fleet/account-tags.ts';
import { describeIdentity, fallbackIdentity, identityKey, readIdentity } from '../../../warmup/identity.ts';
import type { BrowserProfile } from '../../../warmup/providers/provider.ts';
import { createRandom } from '../../../warmup/random.ts';
import { escapeHtml } from '../../shared/text-budget.ts';
import { parseAccountRef } from '../account-input.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import { deleteProxyMessage } from '../middlewares/credentials.ts';
import { platformsOf, readPlatform } from '../platform-input.ts';
import { shownInput } from '../quoted-input.ts';
import { checkFleetPairs, type FleetPairs, splitFleetPairs } from './fleet-pairs.ts';
import {
  applyBrowserSettings,
  applySettings,
  type ParsedSettings,
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
    const args = commandArgs(ctx);
    const split = splitFleetPairs(args.slice(1));
    // Any proxy= message is deleted, with or without a password (the guard deletes those anyway).
    const note = split.ok && split.fleet.proxy !== undefined ? await deleteProxyMessage(ctx) : undefined;
    const answer = await setAccount(ctx, args, split);
    await ctx.reply(note ? `${answer}\n${note}` : answer, { parse_mode: 'HTML' });
  });

  /** Validates everything, then applies and stores in one transaction; returns the one answer. */
  const setAccount = async (
    ctx: BotContext,
    args: string[],
    split: ReturnType<typeof splitFleetPairs>,
  ): Promise<string> => {
    const t = ctx.t.accountSet;
    if (args.length < 2) return t.usage;
    const username = parseAccountRef(args[0]!);
    if (!username) return t.unknownAccount(shownInput(args[0]!) ?? ctx.t.hiddenLink);
    if (!split.ok) return explain(ctx, split.error);
    const fleetProblem = checkFleetPairs(ctx.t, split.fleet);
    if (fleetProblem) return fleetProblem;
    const parsed = split.rest.length > 0 ? parseSettings(split.rest) : undefined;
    // Beside a proxy, a stray word may be part of its password: it is not quoted back.
    if (parsed && 'kind' in parsed) return explain(ctx, parsed, split.fleet.proxy !== undefined);
    const platforms = platformsOf(deps);
    const platformText = parsed?.pairs.get('platform');
    const platform = platformText === undefined ? undefined : readPlatform(platformText, platforms);
    if (platformText !== undefined && platform === undefined)
      return ctx.t.platforms.unknown(
        shownInput(platformText) ?? ctx.t.hiddenLink,
        platforms.names.join(', '),
      );
    return db.transaction(async (tx) => {
      const [account] = await findAccountsByUsernames(tx, [username]);
      if (!account) return t.unknownAccount(escapeHtml(username));
      const lines: string[] = [];
      if (parsed && touchesMoreThanPlatform(parsed.pairs)) {
        const identity = await setIdentity(ctx, tx, account, parsed, platform);
        if (!identity.ok) return identity.text;
        lines.push(identity.text);
      }
      if (platform !== undefined) {
        await setAccountPlatform(tx, account.id, platform);
        // With identity keys beside it, their audit line names the platform too.
        if (!parsed || !touchesMoreThanPlatform(parsed.pairs))
          await recordAudit(tx, {
            actorId: ctx.actor.id,
            action: 'account.set',
            details: { accountId: account.id, keys: ['platform'], platform },
          });
        const shown = escapeHtml(platform ?? platforms.defaultName);
        lines.push(ctx.t.platforms.set(escapeHtml(account.username), shown));
      }
      lines.push(...(await setFleetFields(ctx, tx, account, split.fleet)));
      return lines.join('\n');
    });
  };

  /** proxy= and tags=, after everything else was found valid. */
  const setFleetFields = async (ctx: BotContext, tx: Executor, account: AccountRow, fleet: FleetPairs) => {
    const s = ctx.t.fleet.set;
    const name = escapeHtml(account.username);
    const lines: string[] = [];
    if (fleet.proxy !== undefined) {
      const set = await setAccountProxy(tx, {
        username: account.username,
        proxy: fleet.proxy,
        actorId: ctx.actor.id,
        secretsKey: deps.secretsKey,
      });
      if (set.ok) lines.push(set.host ? s.proxySet(name, escapeHtml(set.host)) : s.proxyRemoved(name));
    }
    if (fleet.tags !== undefined) {
      const set = await setAccountTags(tx, {
        username: account.username,
        tags: fleet.tags,
        actorId: ctx.actor.id,
      });
      if (set.ok)
        lines.push(
          set.tags.length > 0
            ? s.tagsSet(name, set.tags.map((tag) => `#${tag}`).join(' '))
            : s.tagsCleared(name),
        );
    }
    return lines;
  };

  return feature;
}

/** The identity and browser keys: validated against the account, then stored. */
async function setIdentity(
  ctx: BotContext,
  tx: Executor,
  account: AccountRow,
  parsed: ParsedSettings,
  platform: string | null | undefined,
): Promise<{ ok: true; text: string } | { ok: false; text: string }> {
  const t = ctx.t.accountSet;
  const fail = (text: string) => ({ ok: false, text }) as const;
  const base = readIdentity(account.identity) ?? fallbackIdentity(account.id, createRandom);
  const taken = await takenIdentityKeys(tx, account.id);
  const applied = applySettings(base, parsed.pairs, createRandom(), taken);
  if ('kind' in applied) return fail(explain(ctx, applied));
  const browser = applyBrowserSettings(account, parsed.pairs);
  if ('kind' in browser) return fail(explain(ctx, browser));
  if (touchesIdentity(parsed.pairs)) {
    if (taken.has(identityKey(applied.identity)) && !applied.shared) return fail(t.clash);
    await setAccountIdentity(tx, account.id, applied.identity);
  }
  await setAccountBrowser(tx, account.id, browser);
  await recordAudit(tx, {
    actorId: ctx.actor.id,
    action: 'account.set',
    details: {
      accountId: account.id,
      keys: [...parsed.pairs.keys()],
      ...(platform !== undefined ? { platform } : {}),
    },
  });
  const ua = applied.identity.userAgent ? ` · ${ctx.t.accounts.fixedUserAgent}` : '';
  const shown = touchesIdentity(parsed.pairs) ? describeIdentity(applied.identity) : '';
  const text =
    browser.browser === 'cdp'
      ? t.doneCdp(escapeHtml(account.username), escapeHtml(describeProfile(browser.browserProfile)))
      : t.done(escapeHtml(account.username), escapeHtml(shown || describeIdentity(applied.identity)) + ua);
  return { ok: true, text };
}

function describeProfile(profile: BrowserProfile | null): string {
  if (!profile) return '';
  return `${profile.provider}:${profile.profileId}${profile.injectLogin ? ' (+login)' : ''}`;
}

function explain(ctx: BotContext, error: SettingError, hideText = false): string {
  const t = ctx.t.accountSet;
  const shown = (text: string) => (hideText ? undefined : shownInput(text, 60)) ?? ctx.t.hiddenLink;
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
