// The real SessionRunner: the warmup engine in the account's browser — a fresh context (its
// saved login, proxy and stored identity) on the worker's one Chromium, or its anti-detect profile.
import type { Logger } from '../logger.ts';
import { describeError } from '../safe-error.ts';
import type { BrowserContext, BrowserHost, ContextOptions } from '../warmup/browser.ts';
import { type EffectLedger, runWarmup, type StorageState } from '../warmup/engine.ts';
import { fallbackIdentity, readIdentity } from '../warmup/identity.ts';
import { type ActionCounts, applyDailyCaps, settingsForPlatform } from '../warmup/platform-warmup.ts';
import { type SiteProfiles, siteProfilesOf } from '../warmup/profile-registry.ts';
import { withProfileContext } from '../warmup/providers/profile-session.ts';
import {
  browserProfileSchema,
  PROVIDER_RETRYABLE,
  type ProfileProvider,
  ProviderError,
  type ProviderName,
} from '../warmup/providers/provider.ts';
import { createRandom } from '../warmup/random.ts';
import { type WarmupSettings, warmupSettingsSchema } from '../warmup/settings.ts';
import type { SiteProfile } from '../warmup/site-profile.ts';
import {
  failedOutcome,
  type SessionAccount,
  type SessionOutcome,
  type SessionRunInput,
  type SessionRunner,
} from './session-runner.ts';

export type WarmupRunnerDeps = {
  host: BrowserHost;
  /** Every platform's profile; each account's session uses its platform's. */
  profiles?: SiteProfiles;
  /** One profile for every account (tests, benches): the same as profiles of it alone. */
  profile?: SiteProfile;
  log: Logger;
  /** The anti-detect providers this worker reaches, for accounts whose browser is `cdp`. */
  providers?: Partial<Record<ProviderName, ProfileProvider>>;
  /** What the account did in the last 24 h, for its platform's daily caps (none: not capped). */
  recentActions?: (accountId: number) => Promise<ActionCounts>;
};

/** The registry a runner or checker works with: the one given, or one of a single profile. */
export function profilesFrom(deps: { profiles?: SiteProfiles; profile?: SiteProfile }): SiteProfiles {
  if (deps.profiles) return deps.profiles;
  if (!deps.profile) throw new Error('a site profile or a profile registry is needed');
  return siteProfilesOf([deps.profile]);
}

/** The account's platform's profile, or why the session cannot run here. */
export function profileOfAccount(
  profiles: SiteProfiles,
  account: Pick<SessionAccount, 'platform'>,
): SiteProfile | string {
  const profile = profiles.forPlatform(account.platform);
  if (profile) return profile;
  return `the account's platform "${account.platform}" has no site profile here (known: ${profiles.names.join(', ')})`;
}

/**
 * The session's settings: the task's, with the platform's numbers where the task did not set a
 * knob (settingsForPlatform), then cut to what is left of the platform's daily caps.
 */
async function sessionSettings(
  deps: WarmupRunnerDeps,
  input: SessionRunInput,
  profile: SiteProfile,
): Promise<WarmupSettings | SessionOutcome> {
  const { basis, ...stored } = (input.settings ?? {}) as Record<string, unknown>;
  const parsed = warmupSettingsSchema.safeParse(stored);
  if (!parsed.success)
    return failedOutcome('bad_settings', 'the task settings are not valid any more', false);
  const settings = settingsForPlatform(parsed.data, basis, profile.warmup);
  const caps = profile.warmup?.dailyCaps;
  if (!caps || !deps.recentActions) return settings;
  const capped = applyDailyCaps(settings, caps, await deps.recentActions(input.account.id));
  for (const note of capped.notes) input.log(note);
  return capped.settings;
}

/** The run's ledger for these settings (none outside a run); a retryable failure when it cannot open. */
async function openLedger(
  input: SessionRunInput,
  settings: WarmupSettings,
): Promise<EffectLedger | SessionOutcome | undefined> {
  if (!input.openLedger) return undefined;
  try {
    return await input.openLedger(settings);
  } catch (err) {
    return failedOutcome(
      'internal_error',
      `the run's targets could not be stored: ${describeError(err)}`,
      true,
    );
  }
}

export function createWarmupRunner(deps: WarmupRunnerDeps): SessionRunner {
  const profiles = profilesFrom(deps);
  return async (input) => {
    const profile = profileOfAccount(profiles, input.account);
    if (typeof profile === 'string') return failedOutcome('bad_settings', profile, false);
    const settings = await sessionSettings(deps, input, profile);
    if ('status' in settings) return settings;
    const ledger = await openLedger(input, settings);
    if (ledger && 'status' in ledger) return ledger;
    const proxy = input.account.proxyUrl ? parseProxy(input.account.proxyUrl) : undefined;
    if (input.account.proxyUrl && !proxy)
      return failedOutcome('proxy_error', 'the proxy URL cannot be parsed', false);
    let opened = false;
    const run = (context: BrowserContext) => {
      opened = true;
      return runWarmup({
        context,
        profile,
        settings,
        random: createRandom(),
        ...(ledger ? { ledger } : {}),
        signal: input.signal,
        log: input.log,
        onProgress: (counters) => input.onProgress({ ...counters }),
      });
    };
    try {
      if (input.account.browser === 'cdp') {
        const profile = browserProfileSchema.safeParse(input.account.browserProfile);
        if (!profile.success)
          return failedOutcome('bad_settings', 'the account has no valid anti-detect profile set', false);
        const provider = deps.providers?.[profile.data.provider];
        if (!provider)
          return failedOutcome(
            'provider_unreachable',
            `no ${profile.data.provider} API is set up on this worker`,
            true,
          );
        const { storageState } = accountContextOptions(input.account);
        const outcome = await withProfileContext(
          provider,
          profile.data,
          { signal: input.signal, ...(storageState ? { storageState } : {}) },
          run,
        );
        // The profile keeps its own cookies; they replace our saved login only when it was put in.
        if (outcome.status === 'completed' && !profile.data.injectLogin) {
          const { storageState: _, ...rest } = outcome;
          return rest;
        }
        return outcome;
      }
      return await deps.host.withContext(
        { ...accountContextOptions(input.account), ...(proxy ? { proxy } : {}), signal: input.signal },
        run,
      );
    } catch (err) {
      if (input.signal.aborted) return failedOutcome('cancelled', 'the session was stopped', false);
      if (err instanceof ProviderError)
        return failedOutcome(err.reason, err.message, PROVIDER_RETRYABLE[err.reason]);
      // The saved login itself is refused (a cookie Playwright rejects): a retry repeats it.
      if (!opened && input.account.storageState && isLoginRefused(err))
        return failedOutcome(
          'session_unreadable',
          'the browser refused the saved login; send it again',
          false,
        );
      deps.log.error({ err, account: input.account.username }, 'browser context failed');
      return failedOutcome(
        'browser_crashed',
        (err as Error).message.split('\n')[0] ?? 'the browser failed',
        true,
      );
    }
  };
}

/** The account's own part of its context: its saved login and its identity. */
export function accountContextOptions(
  account: Pick<SessionAccount, 'id' | 'identity' | 'locale' | 'storageState'>,
): Omit<ContextOptions, 'signal'> {
  // A row from before identities were stored gets one drawn from its id: the same every run.
  const identity = readIdentity(account.identity) ?? fallbackIdentity(account.id, createRandom);
  return {
    ...(account.storageState ? { storageState: account.storageState as StorageState } : {}),
    identity: account.locale && !account.identity ? { ...identity, locale: account.locale } : identity,
  };
}

/** Playwright's refusals of a storage state when it opens a context ("Cookie should have …"). */
function isLoginRefused(err: unknown): boolean {
  return err instanceof Error && /\bcookies?\b|storageState/i.test(err.message);
}

/** http(s)://user:pass@host:port → Playwright's proxy option; undefined when it cannot be read. */
export function parseProxy(
  url: string,
): { server: string; username?: string; password?: string } | undefined {
  try {
    const u = new URL(url);
    if (!['http:', 'https:', 'socks5:'].includes(u.protocol) || !u.hostname) return undefined;
    return {
      server: `${u.protocol}//${u.host}`,
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    };
  } catch {
    return undefined;
  }
}
