// The real SessionRunner: a fresh browser context (the account's session, proxy and stored
// identity) on the worker's one browser, and the warmup engine inside it.
import type { Logger } from '../logger.ts';
import type { BrowserHost, ContextOptions } from '../warmup/browser.ts';
import { runWarmup, type StorageState } from '../warmup/engine.ts';
import { fallbackIdentity, readIdentity } from '../warmup/identity.ts';
import { createRandom } from '../warmup/random.ts';
import { warmupSettingsSchema } from '../warmup/settings.ts';
import type { SiteProfile } from '../warmup/site-profile.ts';
import { failedOutcome, type SessionAccount, type SessionRunner } from './session-runner.ts';

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
    try {
      return await deps.host.withContext(
        { ...accountContextOptions(input.account), ...(proxy ? { proxy } : {}), signal: input.signal },
        (context) =>
          runWarmup({
            context,
            profile: deps.profile,
            settings: settings.data,
            random: createRandom(),
            signal: input.signal,
            log: input.log,
            onProgress: (counters) => input.onProgress({ ...counters }),
          }),
      );
    } catch (err) {
      if (input.signal.aborted) return failedOutcome('cancelled', 'the session was stopped', false);
      deps.log.error({ err, account: input.account.username }, 'browser context failed');
      return failedOutcome(
        'browser_crashed',
        (err as Error).message.split('\n')[0] ?? 'the browser failed',
        true,
      );
    }
  };
}

/** The account's own part of its context: its session and its identity. */
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
