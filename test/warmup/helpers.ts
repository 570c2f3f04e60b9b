// Shared set-up for the warmup tests: quick settings, and one run of the engine against the
// fixture site in a fresh context of a shared browser host.
import type { BrowserContext } from 'playwright-core';
import { type BrowserHost, createBrowserHost } from '../../src/warmup/browser.ts';
import {
  type EffectLedger,
  runWarmup,
  type WarmupCounters,
  type WarmupOutcome,
} from '../../src/warmup/engine.ts';
import { createRandom } from '../../src/warmup/random.ts';
import type { WarmupSettings } from '../../src/warmup/settings.ts';
import type { SiteProfile } from '../../src/warmup/site-profile.ts';
import type { FixtureSite } from '../support/fixture-site.ts';

const quiet = { info() {}, warn() {} };

export function createTestHost(): BrowserHost {
  return createBrowserHost({ headless: true, log: quiet });
}

export { quickSettings } from '../support/quick-settings.ts';

export type RunOptions = {
  settings: WarmupSettings;
  seed?: number;
  profile?: SiteProfile;
  signal?: AbortSignal;
  /** The run's ledger (targets, what earlier attempts did, the records); by default one in memory. */
  ledger?: EffectLedger;
  onProgress?: (counters: WarmupCounters) => void;
  /** Runs in the same context right after the engine returned (the context is still open). */
  inspect?: (context: BrowserContext) => void;
};

export async function runOnFixture(
  host: BrowserHost,
  site: FixtureSite,
  account: string,
  options: RunOptions,
): Promise<{ outcome: WarmupOutcome; log: string[]; ms: number }> {
  const log: string[] = [];
  const signal = options.signal ?? new AbortController().signal;
  const started = Date.now();
  // The host's own signal stays unaborted so that the engine, not the host, reports a cancel.
  const outcome = await host.withContext(
    { signal: new AbortController().signal, storageState: site.storageStateFor(account) },
    async (context) => {
      const result = await runWarmup({
        context,
        profile: options.profile ?? site.profile,
        settings: options.settings,
        random: createRandom(options.seed ?? 1),
        signal,
        ...(options.ledger ? { ledger: options.ledger } : {}),
        log: (line) => log.push(line),
        onProgress: options.onProgress,
      });
      options.inspect?.(context);
      return result;
    },
  );
  return { outcome, log, ms: Date.now() - started };
}

export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
