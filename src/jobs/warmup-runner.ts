// The real SessionRunner: a fresh browser context (the account's session, proxy and locale) on
// the worker's one browser, and the warmup engine inside it.
import type { Logger } from '../logger.ts';
import type { BrowserHost } from '../warmup/browser.ts';
import { runWarmup, type StorageState } from '../warmup/engine.ts';
import { createRandom } from '../warmup/random.ts';
import { warmupSettingsSchema } from '../warmup/settings.ts';
import type { SiteProfile } from '../warmup/site-profile.ts';
import { failedOutcome, type SessionRunner } from './session-runner.ts';

export function createWarmupRunner(deps: {
  host: BrowserHost;
  profile: SiteProfile;
  log: Logger;
}): SessionRunner {
  return async (input) => {
    const settings = warmupSettingsSchema.safeParse(input.settings);
    if (!settings.success)
      return failedOutcome('bad_settings', 'the task settings are not valid any more', false);
    const proxy = input.account.proxyUrl ? parseProxy(input.account.proxyUrl) : undefined;
    if (input.account.proxyUrl && !proxy)
      return failedOutcome('proxy_error', 'the proxy URL cannot be parsed', false);
    let opened = false;
    try {
      return await deps.host.withContext(
        {
          ...(input.account.storageState ? { storageState: input.account.storageState as StorageState } : {}),
          ...(proxy ? { proxy } : {}),
          ...(input.account.locale ? { locale: input.account.locale } : {}),
          signal: input.signal,
        },
        (context) => {
          opened = true;
          return runWarmup({
            context,
            profile: deps.profile,
            settings: settings.data,
            random: createRandom(),
            signal: input.signal,
            log: input.log,
            onProgress: (counters) => input.onProgress({ ...counters }),
          });
        },
      );
    } catch (err) {
      if (input.signal.aborted) return failedOutcome('cancelled', 'the session was stopped', false);
      // The saved session itself is refused (a cookie Playwright rejects): a retry repeats it.
      if (!opened && input.account.storageState && isSessionRefused(err))
        return failedOutcome(
          'session_unreadable',
          'the browser refused the saved session; upload it again',
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

/** Playwright's refusals of a storage state when it opens a context ("Cookie should have …"). */
function isSessionRefused(err: unknown): boolean {
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
