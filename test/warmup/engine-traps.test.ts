// The real site's traps, in real Chromium against the fixture site: like and follow are toggles,
// a dialog covers the feed on the first load, LIVE cards are not videos, the comment box is a
// rich editor whose Post stays disabled until keystrokes arrive, a logout is a login redirect.
import { describe, expect, it } from 'vitest';
import { parseSiteProfile } from '../../src/warmup/site-profile.ts';
import { completed, quickSettings, r, runOnFixture, useEngineFixtures } from './helpers.ts';

const { host, site } = useEngineFixtures();

/** The fixture numbers its items 0, 1, 2…; with engagedEvery 2 the odd ones are already on. */
const position = (id: string) => Number(id.split('-').at(-1));

describe('the real site traps', () => {
  it('never undoes a like or follow: every second item is already liked and followed', async () => {
    const fixture = await site({ engagedEvery: 2 });
    const settings = quickSettings({ videos: r(10), likes: r(4), follows: r(2) });
    // Seed 20's plan puts five of its likes and follows on items already on: each one moves on
    // to the next watched item, and the ten items leave room for all of them.
    const { outcome, log } = await runOnFixture(host, fixture, 'toggles', { settings, seed: 20 });

    const server = fixture.stats.account('toggles');
    expect(server.likes).toHaveLength(4);
    expect(server.follows).toHaveLength(2);
    expect(server.unlikes).toEqual([]);
    expect(server.unfollows).toEqual([]);
    expect(server.likes.every((id) => position(id) % 2 === 0)).toBe(true);
    expect(completed(outcome).counters).toMatchObject({ likes: 4, follows: 2 });
    expect(log.join('\n')).toMatch(/already liked: not clicked/);
  });

  it('dismisses a dialog over the feed on the first load, then does its work', async () => {
    const fixture = await site({ dialogOnFirstLoad: true });
    const settings = quickSettings({ videos: r(2), likes: r(1), follows: r(1) });
    const { outcome, log } = await runOnFixture(host, fixture, 'dialog', { settings });

    expect(completed(outcome).counters).toMatchObject({ itemsViewed: 2, likes: 1, follows: 1 });
    expect(log).toContain('dismissed "choose your interests"');
    const server = fixture.stats.account('dialog');
    expect(server.dismissals).toEqual(['interests']);
    expect(server.likes).toHaveLength(1);
  });

  it('passes over LIVE cards without watching, engaging or counting them', async () => {
    const fixture = await site({ liveEvery: 3 });
    const settings = quickSettings({ videos: r(4), scrolls: r(2), watchSeconds: r(1), likes: r(4) });
    const { outcome, log } = await runOnFixture(host, fixture, 'live', { settings });

    const done = completed(outcome);
    expect(done.counters).toMatchObject({ itemsViewed: 4, scrolls: 2, likes: 4, watchSeconds: 4 });
    const server = fixture.stats.account('live');
    const videos = server.views.filter((id) => !id.startsWith('live-'));
    expect(videos).toHaveLength(6);
    expect(server.views.filter((id) => id.startsWith('live-')).length).toBeGreaterThanOrEqual(2);
    expect(server.likes.some((id) => id.startsWith('live-'))).toBe(false);
    expect(log.filter((line) => line.startsWith('passed over')).length).toBeGreaterThanOrEqual(2);
  });

  it('types a comment into the rich editor; the fixture records the template text', async () => {
    const fixture = await site();
    const text = 'Nice one, friend';
    const settings = quickSettings({ videos: r(1), comments: r(1), commentTemplates: [text] });
    const { outcome } = await runOnFixture(host, fixture, 'rich', { settings });

    expect(completed(outcome).counters.comments).toBe(1);
    expect(fixture.stats.account('rich').comments).toEqual([{ item: '0', text }]);
  });

  it('fails the comment, not the run, when the submit control never enables', async () => {
    const fixture = await site();
    // Keystrokes go to the Comments button, not the editor: Post stays disabled.
    const profile = parseSiteProfile({
      ...fixture.profile,
      selectors: { ...fixture.profile.selectors, commentInput: 'button.comment-open' },
    });
    const settings = quickSettings({ videos: r(2), comments: r(1), likes: r(1) });
    const { outcome, log } = await runOnFixture(host, fixture, 'stuck', { settings, profile });

    expect(completed(outcome).counters).toMatchObject({ comments: 0, likes: 1, itemsViewed: 2 });
    expect(log.join('\n')).toMatch(/comment not posted: selectors.commentSubmit stayed disabled/);
    expect(fixture.stats.account('stuck').comments).toEqual([]);
  });

  it('takes a redirect to the login page for a logout, even without the marker', async () => {
    const fixture = await site();
    const profile = parseSiteProfile({
      ...fixture.profile,
      selectors: { ...fixture.profile.selectors, loggedOut: '#no-such-marker' },
    });
    fixture.accountState('redirected', 'logged_out');
    const { outcome } = await runOnFixture(host, fixture, 'redirected', {
      settings: quickSettings(),
      profile,
    });

    expect(outcome).toMatchObject({ status: 'failed', reason: 'logged_out' });
    expect(outcome.status === 'failed' && outcome.message).toMatch(/loggedOutPath/);
  });
});
