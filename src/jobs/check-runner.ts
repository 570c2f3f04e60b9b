// The real AccountChecker: a fresh browser context with the account's session, proxy and locale on
// the worker's one browser (as a warmup opens it), and the pre-flight check inside it.
import type { Logger } from '../logger.ts';
import { describeError } from '../safe-error.ts';
import type { BrowserHost } from '../warmup/browser.ts';
import { type CheckResult, checkAccount } from '../warmup/check.ts';
import type { StorageState } from '../warmup/engine.ts';
import type { SiteProfile } from '../warmup/site-profile.ts';
import { parseProxy } from './warmup-runner.ts';

export type CheckInput = {
  account: { username: string; proxyUrl: string | null; locale: string | null; storageState: unknown };
  signal: AbortSignal;
  log: (line: string) => void;
};

export type AccountChecker = (input: CheckInput) => Promise<CheckResult>;

export function createAccountChecker(deps: {
  host: BrowserHost;
  profile: SiteProfile;
  log: Logger;
}): AccountChecker {
  return async ({ account, signal, log }) => {
    const proxy = account.proxyUrl ? parseProxy(account.proxyUrl) : undefined;
    if (account.proxyUrl && !proxy)
      return {
        reachable: false,
        reason: 'proxy_error',
        message: 'the proxy URL cannot be parsed',
        screenshot: null,
      };
    try {
      return await deps.host.withContext(
        {
          ...(account.storageState ? { storageState: account.storageState as StorageState } : {}),
          ...(proxy ? { proxy } : {}),
          ...(account.locale ? { locale: account.locale } : {}),
          signal,
        },
        (context) => checkAccount({ context, profile: deps.profile, signal, log }),
      );
    } catch (err) {
      if (signal.aborted) throw err;
      deps.log.error({ err, account: account.username }, 'browser context failed during a check');
      const message = describeError(err).split('\n')[0] ?? 'the browser failed';
      return { reachable: false, reason: 'browser_crashed', message, screenshot: null };
    }
  };
}
