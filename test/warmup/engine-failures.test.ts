// How warmup runs end when things go wrong: health markers, a dropped connection, a profile that
// no longer matches, the session cap, and a cancel that closes the page at once.
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { WarmupOutcome } from '../../src/warmup/engine.ts';
import { useFixtureBrowser } from '../support/fixture-browser.ts';
import { PNG_MAGIC, quickSettings, r, runOnFixture } from './helpers.ts';

const { site, host } = useFixtureBrowser();

function failed(outcome: WarmupOutcome) {
  if (outcome.status !== 'failed') throw new Error('expected the run to fail, but it completed');
  return outcome;
}

describe('runWarmup failures', () => {
  it.each([
    ['logged_out', 'logged_out'],
    ['captcha', 'captcha'],
    ['blocked', 'blocked'],
  ] as const)('a %s page ends the run failed, with a screenshot, not retryable', async (state, reason) => {
    const account = `marker-${state}`;
    site.accountState(account, state);
    const { outcome } = await runOnFixture(host, site, account, { settings: quickSettings() });

    const failure = failed(outcome);
    expect(failure.reason).toBe(reason);
    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(/visible/);
    expect(failure.screenshot?.length).toBeGreaterThan(PNG_MAGIC.length);
    expect(failure.screenshot?.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
  });

  it('notices a captcha that appears mid-session', async () => {
    const account = 'mid-captcha';
    const { outcome } = await runOnFixture(host, site, account, {
      settings: quickSettings({ videos: r(3), likes: r(3) }),
      onProgress: (c) => {
        if (c.likes === 1) site.accountState(account, 'captcha');
      },
    });
    const failure = failed(outcome);
    expect(failure.reason).toBe('captcha');
    expect(failure.counters.likes).toBeGreaterThanOrEqual(1);
    expect(failure.counters.likes).toBeLessThan(3);
  });

  it('a captcha that comes up while the session waits ends the run without clicking into it', async () => {
    const account = 'captcha-in-pause';
    const { outcome, ms } = await runOnFixture(host, site, account, {
      settings: quickSettings({ videos: r(1), likes: r(1), delaySeconds: r(1) }),
      onProgress: (c) => {
        if (c.itemsViewed === 1) site.accountState(account, 'captcha'); // pushed to the open page
      },
    });
    expect(failed(outcome).reason).toBe('captcha');
    expect(site.stats.account(account).likes).toHaveLength(0);
    // A click into the overlay would wait 10 s for it to go away, on top of the run's own 2–3 s: a run
    // under 10 s never waited on it, however loaded the machine.
    expect(ms).toBeLessThan(10_000);
  });

  it('a dropped connection ends with a transient, retryable reason', async () => {
    site.accountState('dropped', 'drop');
    const { outcome } = await runOnFixture(host, site, 'dropped', { settings: quickSettings() });
    const failure = failed(outcome);
    expect(failure.reason).toBe('navigation_timeout');
    expect(failure.retryable).toBe(true);
    expect(failure.message).toMatch(/net::ERR_/);
  });

  it('a profile selector that matches nothing ends with selector_missing naming the field', async () => {
    const profile = {
      ...site.profile,
      selectors: { ...site.profile.selectors, like: 'button.no-such-like' },
    };
    const { outcome } = await runOnFixture(host, site, 'stale-profile', {
      settings: quickSettings({ likes: r(1) }),
      profile,
    });
    const failure = failed(outcome);
    expect(failure.reason).toBe('selector_missing');
    expect(failure.retryable).toBe(false);
    expect(failure.message).toContain('selectors.like');
  });

  it('aborting mid-session returns at once, cancelled, with no page left open', async () => {
    const account = 'aborted';
    const controller = new AbortController();
    let pagesAfter = -1;
    const running = runOnFixture(host, site, account, {
      settings: quickSettings({ videos: r(50), watchSeconds: r(30) }),
      signal: controller.signal,
      inspect: (context: BrowserContext) => {
        pagesAfter = context.pages().length;
      },
    });
    await site.stats.waitFor(
      () => site.stats.openSessions(account) === 1 && site.stats.account(account).views.length > 0,
      10_000,
      'the session to be watching',
    );
    const abortedAt = Date.now();
    controller.abort();
    const { outcome } = await running;

    // About 0.1 s here (bench/abort-latency.ts), against 30 s videos. 10 s leaves room for a loaded
    // 2-core machine and still fails a run that goes on after the abort, or a page slow to close.
    expect(Date.now() - abortedAt).toBeLessThan(10_000);
    const failure = failed(outcome);
    expect(failure.reason).toBe('cancelled');
    expect(failure.retryable).toBe(false);
    expect(failure.screenshot).toBeNull();
    expect(pagesAfter).toBe(0);
    await site.stats.waitFor(() => site.stats.openSessions(account) === 0, 5000, 'the page to go away');
  });

  it('an already aborted signal returns cancelled without opening a page', async () => {
    const { outcome } = await runOnFixture(host, site, 'pre-aborted', {
      settings: quickSettings(),
      signal: AbortSignal.abort(),
    });
    expect(failed(outcome).reason).toBe('cancelled');
    expect(site.stats.account('pre-aborted').views).toHaveLength(0);
  });

  it('the session cap stops a run that would go on, and the outcome says so', async () => {
    const { outcome, log, ms } = await runOnFixture(host, site, 'capped', {
      settings: quickSettings({ videos: r(100), watchSeconds: r(1), likes: r(0, 100), sessionCapSeconds: 2 }),
    });
    if (outcome.status !== 'completed') throw new Error(`run failed: ${outcome.message}`);
    expect(outcome.cappedByTime).toBe(true);
    expect(outcome.counters.itemsViewed).toBeGreaterThan(0);
    expect(outcome.counters.itemsViewed).toBeLessThan(100);
    // The cap is 2 s and the run ends under half a second after it (bench/abort-latency.ts); 100
    // videos of 1 s would take over 100 s. 15 s leaves room for a context opening on a loaded machine.
    expect(ms).toBeLessThan(15_000);
    expect(log.join('\n')).toContain('session cap of 2 s reached');
  });
});
