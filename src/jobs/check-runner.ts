// The real AccountChecker: the account's browser opened as a warmup opens it — a fresh context
// (its saved login, proxy and stored identity) on the worker's one Chromium, or its anti-detect
// profile — and the pre-flight check inside it.
import type { Logger } from '../logger.ts';
import { describeError } from '../safe-error.ts';
import type { BrowserHost } from '../warmup/browser.ts';
import { type CheckResult, checkAccount } from '../warmup/check.ts';
import type { SiteProfiles } from '../warmup/profile-registry.ts';
import { withProfileContext } from '../warmup/providers/profile-session.ts';
import {
  browserProfileSchema,
  type ProfileProvider,
  ProviderError,
  type ProviderName,
} from '../warmup/providers/provider.ts';
import type { SiteProfile } from '../warmup/site-profile.ts';
import type { SessionAccount } from './session-runner.ts';
import { accountContextOptions, parseProxy, profileOfAccount, profilesFrom } from './warmup-runner.ts';

export type CheckInput = { account: SessionAccount; signal: AbortSignal; log: (line: string) => void };
export type AccountChecker = (input: CheckInput) => Promise<CheckResult>;

const notRun = (reason: string, message: string): CheckResult =>
  ({ reachable: false, reason, message, screenshot: null }) as CheckResult;

export function createAccountChecker(deps: {
  host: BrowserHost;
  /** Every platform's profile: a check opens its account's platform's start URL. */
  profiles?: SiteProfiles;
  /** One profile for every account (tests). */
  profile?: SiteProfile;
  log: Logger;
  providers?: Partial<Record<ProviderName, ProfileProvider>>;
}): AccountChecker {
  const profiles = profilesFrom(deps);
  return async ({ account, signal, log }) => {
    const site = profileOfAccount(profiles, account);
    if (typeof site === 'string') return notRun('bad_settings', site);
    const proxy = account.proxyUrl ? parseProxy(account.proxyUrl) : undefined;
    if (account.proxyUrl && !proxy) return notRun('proxy_error', 'the proxy URL cannot be parsed');
    const check = (context: Parameters<typeof checkAccount>[0]['context']) =>
      checkAccount({ context, profile: site, signal, log });
    try {
      if (account.browser === 'cdp') {
        const profile = browserProfileSchema.safeParse(account.browserProfile);
        if (!profile.success)
          return notRun('bad_settings', 'the account has no valid anti-detect profile set');
        const provider = deps.providers?.[profile.data.provider];
        if (!provider)
          return notRun('provider_unreachable', `no ${profile.data.provider} API is set up on this worker`);
        const { storageState } = accountContextOptions(account);
        return await withProfileContext(
          provider,
          profile.data,
          { signal, ...(storageState ? { storageState } : {}) },
          check,
        );
      }
      return await deps.host.withContext(
        { ...accountContextOptions(account), ...(proxy ? { proxy } : {}), signal },
        check,
      );
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof ProviderError) return notRun(err.reason, err.message);
      deps.log.error({ err, account: account.username }, 'browser context failed during a check');
      return notRun('browser_crashed', describeError(err).split('\n')[0] ?? 'the browser failed');
    }
  };
}
