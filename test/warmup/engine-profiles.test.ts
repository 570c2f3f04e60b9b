// Two platforms side by side, in real Chromium against the fixture's two markups (each account is
// served one of them at every path): each session follows its own profile and does exactly its
// knobs on its own markup; with the profiles swapped both fail selector_missing, clicking nothing.
// The Instagram-like traps: the like's svg replaced, a text-only follow (Requested for a private
// author), a React textarea, comment hearts, ads, comments off, a neighbour's Follow more in view,
// a notifications dialog whose Turn On must not be clicked, a captcha or suspension known by path.
import { describe, expect, it } from 'vitest';
import { parseSiteProfile } from '../../src/warmup/site-profile.ts';
import { completed, quickSettings, r, runOnFixture, useEngineFixtures } from './helpers.ts';

const { host, site } = useEngineFixtures();

const knobs = quickSettings({
  videos: r(4),
  scrolls: r(1),
  likes: r(2),
  follows: r(1),
  comments: r(1),
  searchKeywords: ['cats'],
});

describe('one account per markup, each with its own profile', () => {
  it('does exactly its knobs on its own markup, past each markup’s traps', async () => {
    const fixture = await site({ engagedEvery: 3, liveEvery: 4, dialogOnFirstLoad: true, privateEvery: 2 });
    fixture.bindMarkup('alice', 'reels');
    fixture.bindMarkup('bob', 'tiktok');
    const [alice, bob] = await Promise.all([
      runOnFixture(host, fixture, 'alice', { settings: knobs, seed: 3, profile: fixture.profiles.reels }),
      runOnFixture(host, fixture, 'bob', { settings: knobs, seed: 3, profile: fixture.profiles.tiktok }),
    ]);
    for (const [name, run, markup, dialog] of [
      ['alice', alice, 'reels', 'notifications'],
      ['bob', bob, 'tiktok', 'interests'],
    ] as const) {
      expect(completed(run.outcome).counters, name).toMatchObject({
        itemsViewed: 4,
        scrolls: 1,
        likes: 2,
        follows: 1,
        comments: 1,
        searches: 1,
      });
      const server = fixture.stats.account(name);
      expect(server.likes, name).toHaveLength(2);
      expect(server.follows, name).toHaveLength(1);
      expect(server.comments, name).toHaveLength(1);
      expect(server.searches, name).toEqual(['cats']);
      expect(server.unlikes.concat(server.unfollows), name).toEqual([]);
      expect(server.dismissals, name).toEqual([dialog]);
      // No ad or LIVE item engaged; every page the account saw was in its own markup.
      expect(
        server.likes.concat(server.follows).some((id) => /^(ad|live)-/.test(id)),
        name,
      ).toBe(false);
      expect(new Set(server.pages.map((p) => p.markup)), name).toEqual(new Set([markup]));
    }
    const reels = fixture.stats.account('alice');
    expect(reels.commentLikes).toEqual([]);
    expect(reels.notificationsOn).toEqual([]);
    // The reels markup was reached through its own paths: the profile's, not the first markup's.
    expect(reels.pages.map((p) => p.path)).toEqual(
      expect.arrayContaining(['/reels/', '/explore/search/keyword/']),
    );
    expect(reels.comments[0]?.text).toMatch(/\S/);
  }, 120_000);

  it('fails both sessions selector_missing when the profiles are swapped, clicking nothing', async () => {
    const fixture = await site({ dialogOnFirstLoad: true });
    fixture.bindMarkup('carol', 'reels');
    fixture.bindMarkup('dave', 'tiktok');
    const settings = quickSettings({ likes: r(1), follows: r(1) });
    const [carol, dave] = await Promise.all([
      runOnFixture(host, fixture, 'carol', { settings, profile: fixture.profiles.tiktok }),
      runOnFixture(host, fixture, 'dave', { settings, profile: fixture.profiles.reels }),
    ]);
    for (const [name, run] of [
      ['carol', carol],
      ['dave', dave],
    ] as const) {
      expect(run.outcome, name).toMatchObject({
        status: 'failed',
        reason: 'selector_missing',
        retryable: false,
      });
      expect(run.outcome.status === 'failed' && run.outcome.message, name).toContain('selectors.feedItem');
      expect(run.outcome.status === 'failed' && run.outcome.screenshot, name).toBeTruthy();
      const server = fixture.stats.account(name);
      expect(
        [server.likes, server.follows, server.comments, server.dismissals, server.notificationsOn].flat(),
        name,
      ).toEqual([]);
    }
  }, 90_000);
});

describe('the reels markup’s own traps', () => {
  it('moves a comment past reels whose comments are off, instead of failing', async () => {
    const fixture = await site({ commentsOffEvery: 1 });
    fixture.bindMarkup('erin', 'reels');
    // Every reel has its comments off: the comment is owed to the end, and logged.
    const { outcome, log } = await runOnFixture(host, fixture, 'erin', {
      settings: quickSettings({ videos: r(3), comments: r(1) }),
      profile: fixture.profiles.reels,
    });
    expect(completed(outcome).counters).toMatchObject({ itemsViewed: 3, comments: 0 });
    expect(log.join('\n')).toMatch(/comments are off on this item/);
    expect(log.join('\n')).toMatch(/1 comment\(s\) not done: comments were off/);
    expect(fixture.stats.account('erin').comments).toEqual([]);
  }, 60_000);

  it('comments on a later reel when the planned one has its comments off', async () => {
    const fixture = await site({ commentsOffEvery: 2 });
    fixture.bindMarkup('fay', 'reels');
    const { outcome } = await runOnFixture(host, fixture, 'fay', {
      settings: quickSettings({ videos: r(4), comments: r(2) }),
      profile: fixture.profiles.reels,
      seed: 10,
    });
    expect(completed(outcome).counters).toMatchObject({ comments: 2 });
    const comments = fixture.stats.account('fay').comments;
    // Every second reel (1, 3, …) has its comments off: seed 10 plans comments on reels 0 and 1,
    // and the one planned on reel 1 went to reel 2.
    expect(comments.map((c) => c.item)).toEqual(['0', '2']);
  }, 60_000);

  it('follows the author of the reel it watched, not the neighbour whose Follow is more in view', async () => {
    const fixture = await site({ peekNext: true });
    fixture.bindMarkup('gil', 'reels');
    const { outcome } = await runOnFixture(host, fixture, 'gil', {
      settings: quickSettings({ videos: r(3), follows: r(3) }),
      profile: fixture.profiles.reels,
    });
    expect(completed(outcome).counters).toMatchObject({ follows: 3 });
    expect(fixture.stats.account('gil').follows).toEqual(['0', '1', '2']);
  }, 60_000);

  it('takes a redirect to /challenge/ for a captcha and to /accounts/suspended/ for a block (path markers)', async () => {
    const fixture = await site();
    fixture.bindMarkup('hal', 'reels');
    fixture.bindMarkup('ida', 'reels');
    fixture.accountState('hal', 'captcha');
    fixture.accountState('ida', 'blocked');
    const settings = quickSettings();
    const profile = fixture.profiles.reels;
    const hal = await runOnFixture(host, fixture, 'hal', { settings, profile });
    const ida = await runOnFixture(host, fixture, 'ida', { settings, profile });
    expect(hal.outcome).toMatchObject({ status: 'failed', reason: 'captcha' });
    expect(hal.outcome.status === 'failed' && hal.outcome.message).toContain('matches captchaPath');
    expect(ida.outcome).toMatchObject({ status: 'failed', reason: 'blocked' });
    expect(ida.outcome.status === 'failed' && ida.outcome.message).toContain('matches blockedPath');
    // Without the path markers the same pages are only "no feed item".
    const { captchaPath: _c, blockedPath: _b, ...rest } = profile;
    const blind = parseSiteProfile(rest);
    const again = await runOnFixture(host, fixture, 'hal', { settings, profile: blind });
    expect(again.outcome).toMatchObject({ status: 'failed', reason: 'selector_missing' });
  }, 90_000);
});
