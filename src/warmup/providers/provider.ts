// Browser providers: where an account's browser comes from. `local` is the worker's own Chromium
// with the stored identity; `cdp` is an anti-detect profile that a provider's local API starts and
// stops, reached over the DevTools protocol. An adapter per provider (Dolphin Anty first).
import { z } from 'zod';

/** What an account stores for a `cdp` browser (accounts.browser_profile). */
export const browserProfileSchema = z
  .object({
    provider: z.enum(['dolphin']),
    profileId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    /** Put our saved login into the profile; by default the profile's own cookies are used. */
    injectLogin: z.boolean().optional(),
    /** The same choice in rows stored before "login" was its word: read, never written. */
    injectSession: z.boolean().optional(),
  })
  .transform(({ injectSession, injectLogin, ...profile }) => ({
    ...profile,
    injectLogin: injectLogin ?? injectSession ?? false,
  }));
export type BrowserProfile = z.output<typeof browserProfileSchema>;
export type ProviderName = BrowserProfile['provider'];

/** A started profile: its DevTools endpoint, as Playwright's connectOverCDP takes it. */
export type StartedProfile = { endpoint: string };

export type ProfileProvider = {
  start(profileId: string, signal: AbortSignal): Promise<StartedProfile>;
  /** Stops the profile; never throws (it runs in `finally`), reports trouble to the log. */
  stop(profileId: string): Promise<void>;
};

export type ProviderReason = 'provider_unreachable' | 'profile_not_found' | 'profile_busy';

/** Retryable: the provider may come back and a busy profile frees up; a missing one will not appear. */
export const PROVIDER_RETRYABLE: Record<ProviderReason, boolean> = {
  provider_unreachable: true,
  profile_busy: true,
  profile_not_found: false,
};

export class ProviderError extends Error {
  readonly reason: ProviderReason;
  constructor(reason: ProviderReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderError';
    this.reason = reason;
  }
}
