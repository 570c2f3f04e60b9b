// The warmup engine in real Chromium against the fixture site: it does exactly what the settings
// say, and its counters equal what the site recorded.
import { describe, expect, it } from 'vitest';
import type { WarmupOutcome } from '../../src/warmup/engine.ts';
import { useFixtureBrowser } from '../support/fixture-browser.ts';
import { startFixtureSite } from '../support/fixture-site.ts';
import { completed, quickSettings, r, runOnFixture } from './helpers.ts';

const { site, host } = useFixtureBrowser();

/** The engine's counters against the server's records for the account. */
function expectCountersMatchServer(outcome: WarmupOutcome, account: string) {
  const server = site.stats.account(account);
  const c = outcome.counters;
  expect(c.likes).toBe(server.likes.length);
  expect(c.follows).toBe(server.follows.length);
  expect(c.comments).toBe(server.comments.length);
  expect(c.searches).toBe(server.searches.length);
  // Every watched or skimmed item became the current item once, which the page reports as a view.
  expect(c.itemsViewed + c.scrolls).toBe(server.views.length);
}

describe('runWarmup', () => {
  it('does exactly what the settings say: 3 videos, 2 likes, 1 follow, 1 comment', async () => {
    const settings = quickSettings({
      videos: r(3),
      watchSeconds: r(1),
      likes: r(2),
      follows: r(1),
      comments: r(1),
    });
    const { outcome } = await runOnFixture(host, site, 'exact', { settings });

    const done = completed(outcome);
    const server = site.stats.account('exact');
    expect(server.likes).toHaveLength(2);
    expect(server.follows).toHaveLength(1);
    expect(server.comments).toHaveLength(1);
    expect(server.views.length).toBeGreaterThanOrEqual(3);
    expect(new Set(server.likes).size).toBe(2); // two different items
    expect(settings.commentTemplates).toContain(server.comments[0]?.text);
    expect(done.counters).toMatchObject({
      itemsViewed: 3,
      watchSeconds: 3,
      likes: 2,
      follows: 1,
      comments: 1,
    });
    expectCountersMatchServer(done, 'exact');
    expect(done.cappedByTime).toBe(false);
    expect(done.storageState.cookies.map((c) => c.name)).toContain('acct');
    expect(site.stats.maxConcurrent('exact')).toBe(1);
    await site.stats.waitFor(() => site.stats.openSessions('exact') === 0, 5000, 'the session to close');
  });

  it.each([11, 22, 33])('seeded run %i with wide ranges lands inside every range', async (seed) => {
    const settings = quickSettings({
      scrolls: r(0, 3),
      videos: r(1, 4),
      watchSeconds: r(0, 1),
      likes: r(0, 3),
      follows: r(0, 2),
      comments: r(0, 1),
      searchKeywords: ['cats', 'dogs'],
    });
    const account = `seeded-${seed}`;
    const progress: number[] = [];
    const { outcome, log } = await runOnFixture(host, site, account, {
      settings,
      seed,
      onProgress: (c) => progress.push(c.itemsViewed + c.scrolls),
    });

    const { counters: c } = completed(outcome);
    const within = (value: number, range: { min: number; max: number }) => {
      expect(value).toBeGreaterThanOrEqual(range.min);
      expect(value).toBeLessThanOrEqual(range.max);
    };
    within(c.scrolls, settings.scrolls);
    within(c.itemsViewed, settings.videos);
    within(c.likes, settings.likes);
    within(c.follows, settings.follows);
    within(c.comments, settings.comments);
    within(c.watchSeconds, r(0, c.itemsViewed));
    expect(c.searches).toBe(1);
    expectCountersMatchServer(outcome, account);
    expect(progress.length).toBeGreaterThan(0);
    expect(log[0]).toContain(`seed ${seed}`);
  });

  it.each(['scroll', 'click'] as const)('moves through the feed with next.kind %s', async (kind) => {
    const other = await startFixtureSite({ next: kind });
    try {
      const settings = quickSettings({ videos: r(3), scrolls: r(1), likes: r(1) });
      const { outcome } = await runOnFixture(host, other, 'mover', { settings });
      expect(completed(outcome).counters).toMatchObject({ itemsViewed: 3, scrolls: 1, likes: 1 });
      expect(other.stats.account('mover').views).toHaveLength(4);
    } finally {
      await other.close();
    }
  });

  it('completes with fewer follows, and says why, when no item has a follow button', async () => {
    const other = await startFixtureSite({ followButtons: false });
    try {
      const { outcome, log } = await runOnFixture(host, other, 'nofollow', {
        settings: quickSettings({ videos: r(2), follows: r(1) }),
      });
      expect(completed(outcome).counters.follows).toBe(0);
      expect(log.join('\n')).toMatch(/follow\(s\) not done/);
    } finally {
      await other.close();
    }
  });
});
