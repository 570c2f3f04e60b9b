// A session in an anti-detect profile: start it through its provider, attach over CDP, run in the
// profile's own context (its cookies and fingerprint), and stop the profile in `finally` — after
// success, failure and cancel alike.
import { type BrowserContext, chromium } from 'playwright-core';
import { abortable, openAbortable, settleWithin } from '../abort.ts';
import type { StorageState } from '../outcome.ts';
import type { BrowserProfile, ProfileProvider } from './provider.ts';

const DISCONNECT_TIMEOUT_MS = 5000;

export async function withProfileContext<T>(
  provider: ProfileProvider,
  profile: BrowserProfile,
  options: { signal: AbortSignal; storageState?: StorageState },
  fn: (context: BrowserContext) => Promise<T>,
): Promise<T> {
  const { signal } = options;
  signal.throwIfAborted();
  try {
    const started = await provider.start(profile.profileId, signal);
    const browser = await openAbortable(chromium.connectOverCDP(started.endpoint), signal);
    try {
      // The profile's own context holds its cookies and fingerprint; a new one would hold neither.
      const context = browser.contexts()[0] ?? (await browser.newContext());
      const cookies = options.storageState?.cookies ?? [];
      if (profile.injectLogin && cookies.length > 0) await context.addCookies(cookies);
      return await abortable(fn(context), signal);
    } finally {
      // Disconnects only: the provider owns the browser and closes it when it stops the profile.
      await settleWithin(browser.close(), DISCONNECT_TIMEOUT_MS);
    }
  } finally {
    await provider.stop(profile.profileId);
  }
}
