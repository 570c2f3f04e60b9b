// Shared set-up for the warmup tests: quick settings, and one run of the engine against the
// fixture site in a fresh context of a shared browser host.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
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
import { type FixtureOptions, type FixtureSite, startFixtureSite } from '../support/fixture-site.ts';
import { standIn, started } from '../support/stand-in.ts';

const quiet = { info() {}, warn() {} };

export function createTestHost(): BrowserHost {
  return createBrowserHost({ headless: true, log: quiet });
}

export { quickSettings } from '../support/quick-settings.ts';

/** A knob's range: `r(3)` is exactly 3, `r(1, 4)` one to four. */
export const r = (min: number, max = min) => ({ min, max });

/** The outcome of a run that must have completed (a failure throws, naming its reason). */
export function completed(outcome: WarmupOutcome) {
  if (outcome.status !== 'completed') throw new Error(`run failed: ${outcome.reason}: ${outcome.message}`);
  return outcome;
}

/**
 * A browser host for the file and fixture sites made on demand (each test its own, with its own
 * options), all closed after the file: `const { host, site } = useEngineFixtures()`.
 */
export function useEngineFixtures(): {
  host: BrowserHost;
  site: (options?: FixtureOptions) => Promise<FixtureSite>;
} {
  let host: BrowserHost | undefined;
  const sites: FixtureSite[] = [];
  beforeAll(() => {
    host = createTestHost();
  });
  afterAll(async () => {
    await host?.close();
    await Promise.all(sites.map((s) => s.close()));
  });
  return {
    host: standIn(() => started(host, 'useEngineFixtures')),
    async site(options = {}) {
      const made = await startFixtureSite(options);
      sites.push(made);
      return made;
    },
  };
}

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
