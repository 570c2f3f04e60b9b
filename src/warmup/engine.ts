// runWarmup: one account's warmup in a given browser context. Owns the page's lifecycle (always
// closed), turns whatever happened into a WarmupOutcome (the run's totals, earlier attempts
// included), and takes the screenshot on failure.
import type { BrowserContext, Page } from 'playwright-core';
import { abortable, openAbortable, settleWithin } from './abort.ts';
import { createLocalLedger, type EffectLedger, resumes } from './effects.ts';
import {
  classifyError,
  emptyCounters,
  RETRYABLE,
  type WarmupCounters,
  type WarmupOutcome,
} from './outcome.ts';
import { sampleTargets } from './plan.ts';
import type { Random } from './random.ts';
import { runSession } from './session.ts';
import type { WarmupSettings } from './settings.ts';
import type { SiteProfile } from './site-profile.ts';

export type { Claim, EffectKind, EffectLedger } from './effects.ts';
export type { FailureReason, StorageState, WarmupCounters, WarmupOutcome } from './outcome.ts';
export { FAILURE_REASONS, RETRYABLE } from './outcome.ts';

export type WarmupInput = {
  context: BrowserContext;
  profile: SiteProfile;
  settings: WarmupSettings;
  random: Random;
  signal: AbortSignal;
  /**
   * The run's targets, what earlier attempts did, and where each like, follow, comment and
   * search is recorded before it happens. Without one, the targets are sampled here and the
   * session is the whole run (tests, benches).
   */
  ledger?: EffectLedger;
  /** Short human lines for the run's log; never cookies or proxy credentials. */
  log?: (line: string) => void;
  /** Called with a copy of the counters (the run's totals) after every step. */
  onProgress?: (counters: WarmupCounters) => void;
};

export async function runWarmup(input: WarmupInput): Promise<WarmupOutcome> {
  const { context, signal } = input;
  const log = input.log ?? (() => {});
  const ledger = input.ledger ?? createLocalLedger(sampleTargets(input.settings, input.random));
  const counters = { ...emptyCounters(), ...ledger.done };
  const progress = () => {
    try {
      input.onProgress?.({ ...counters });
    } catch {
      // A failing progress listener must not end the session.
    }
  };
  let page: Page | null = null;
  try {
    signal.throwIfAborted();
    page = await openAbortable(context.newPage(), signal);
    const cappedByTime = await runSession({ ...input, page, counters, ledger, log, progress });
    const storageState = await abortable(context.storageState(), signal);
    const totals = resumes(ledger) ? ' (the run’s totals, earlier attempts included)' : '';
    log(`done: ${describeCounters(counters)}${totals}${cappedByTime ? ' (stopped by the session cap)' : ''}`);
    return { status: 'completed', counters: { ...counters }, cappedByTime, storageState };
  } catch (err) {
    const { reason, message } = classifyError(err, signal);
    log(`failed (${reason}): ${message}`);
    const screenshot = page && reason !== 'cancelled' ? await takeScreenshot(page, signal) : null;
    return {
      status: 'failed',
      reason,
      message,
      retryable: RETRYABLE[reason],
      screenshot,
      counters: { ...counters },
    };
  } finally {
    if (page) await settleWithin(page.close(), 1000);
  }
}

async function takeScreenshot(page: Page, signal: AbortSignal): Promise<Buffer | null> {
  try {
    return await abortable(page.screenshot({ type: 'png', timeout: 5000 }), signal);
  } catch {
    return null;
  }
}

function describeCounters(c: WarmupCounters): string {
  return (
    `watched ${c.itemsViewed} (${c.watchSeconds} s), skimmed ${c.scrolls}, liked ${c.likes}, ` +
    `followed ${c.follows}, commented ${c.comments}, searched ${c.searches}`
  );
}
