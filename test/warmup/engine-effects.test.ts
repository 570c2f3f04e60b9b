// The engine against the run's ledger, in real Chromium on the fixture site: it records each like,
// follow, comment and search before doing it, once per effect; it does nothing the ledger did not
// grant (so it waits for the answer); and a resumed run does only what its earlier attempts left owed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/warmup/browser.ts';
import type { Claim, EffectKind, EffectLedger, WarmupCounters } from '../../src/warmup/engine.ts';
import { emptyCounters } from '../../src/warmup/outcome.ts';
import type { RunTargets } from '../../src/warmup/plan.ts';
import { type FixtureSite, startFixtureSite } from '../support/fixture-site.ts';
import { completed, createTestHost, quickSettings, r, runOnFixture } from './helpers.ts';

let host: BrowserHost;
let site: FixtureSite;

beforeAll(async () => {
  host = createTestHost();
  site = await startFixtureSite();
});
afterAll(async () => {
  await host?.close();
  await site?.close();
});

const noTargets: RunTargets = { scrolls: 0, videos: 0, likes: 0, follows: 0, comments: 0, searches: 0 };

const SITE_KEY = { likes: 'likes', follows: 'follows', comments: 'comments', searches: 'searches' } as const;

/**
 * A ledger like the run's row: it grants up to the targets (less what was done before), or
 * answers what `answer` says. Each claim notes how many of its kind the site had counted then.
 */
function testLedger(
  account: string,
  targets: RunTargets,
  done: Partial<WarmupCounters> = {},
  answer?: (kind: EffectKind) => Claim,
) {
  const before = { ...emptyCounters(), ...done };
  const granted: Record<EffectKind, number> = {
    likes: before.likes,
    follows: before.follows,
    comments: before.comments,
    searches: before.searches,
  };
  const onSite = (kind: EffectKind) => site.stats.account(account)[SITE_KEY[kind]].length;
  const claims: { kind: EffectKind; claim: Claim; onSite: number }[] = [];
  const ledger: EffectLedger = {
    targets,
    done: before,
    async claim(kind) {
      const claim = answer?.(kind) ?? (granted[kind] < targets[kind] ? 'granted' : 'refused');
      if (claim === 'granted') granted[kind]++;
      claims.push({ kind, claim, onSite: onSite(kind) });
      return claim;
    },
  };
  return { ledger, claims };
}

describe('runWarmup with the run’s ledger', () => {
  it('records each effect once, before doing it', async () => {
    const account = 'record-first';
    const targets = { ...noTargets, videos: 3, likes: 2, follows: 1, comments: 1, searches: 1 };
    const { ledger, claims } = testLedger(account, targets);
    const settings = quickSettings({ videos: r(3), searchKeywords: ['cats'] });
    const { outcome } = await runOnFixture(host, site, account, { settings, ledger, seed: 5 });

    expect(completed(outcome).counters).toMatchObject({ likes: 2, follows: 1, comments: 1, searches: 1 });
    const server = site.stats.account(account);
    expect([server.likes.length, server.follows.length, server.comments.length]).toEqual([2, 1, 1]);
    expect(server.searches).toEqual(['cats']);
    expect(claims.map((c) => c.kind).sort()).toEqual(['comments', 'follows', 'likes', 'likes', 'searches']);
    // The n-th of a kind was recorded while the site had fewer than n. (That nothing happens
    // without the record, and so that the engine waits for it, the next tests show.)
    const seen: Record<string, number> = {};
    for (const c of claims) {
      seen[c.kind] = (seen[c.kind] ?? 0) + 1;
      expect(c.onSite, `${c.kind} #${seen[c.kind]}`).toBeLessThan(seen[c.kind]!);
    }
  });

  it('does only what the run still owes after its earlier attempts, and reports the run’s totals', async () => {
    const account = 'resumed';
    const targets = { ...noTargets, videos: 3, likes: 2, follows: 1, comments: 1 };
    const done = { itemsViewed: 2, watchSeconds: 2, likes: 1, comments: 1 };
    // Granting whatever is asked (the run's row would not): the engine itself asks only what is owed.
    const { ledger, claims } = testLedger(account, targets, done, () => 'granted');
    const settings = quickSettings({ videos: r(3), watchSeconds: r(1) });
    const { outcome, log } = await runOnFixture(host, site, account, { settings, ledger, seed: 7 });

    const server = site.stats.account(account);
    expect([server.likes.length, server.follows.length, server.comments.length]).toEqual([1, 1, 0]);
    expect(completed(outcome).counters).toMatchObject({
      itemsViewed: 3,
      watchSeconds: 3,
      likes: 2,
      follows: 1,
      comments: 1,
    });
    expect(claims.map((c) => c.kind).sort()).toEqual(['follows', 'likes']);
    expect(log[0]).toMatch(/^resuming the run: earlier attempts watched 2.*1 like\(s\)/);
    expect(log.join('\n')).toContain('plan: watch 1, skim 0, like 1, follow 1, comment 0');
  });

  it('does nothing the ledger could not record, and tries a carried like again later', async () => {
    const account = 'unrecorded';
    const targets = { ...noTargets, videos: 3, likes: 3, follows: 1, comments: 1 };
    let likesAsked = 0;
    // The first like cannot be recorded; no follow or comment can.
    const { ledger, claims } = testLedger(account, targets, {}, (kind) =>
      kind === 'likes' && ++likesAsked > 1 ? 'granted' : 'unrecorded',
    );
    const settings = quickSettings({ videos: r(3) });
    const { outcome, log } = await runOnFixture(host, site, account, { settings, ledger, seed: 3 });

    const server = site.stats.account(account);
    // Every item carries a like: the unrecorded one moves on, and one is left owed at the end.
    expect(server.likes).toHaveLength(2);
    expect([server.follows.length, server.comments.length]).toEqual([0, 0]);
    expect(completed(outcome).counters).toMatchObject({ likes: 2, follows: 0, comments: 0 });
    expect(claims.filter((c) => c.kind === 'likes')).toHaveLength(3);
    // A follow is carried to the next items too, and so is a comment (planned here on the last
    // item: asked once, and still owed at the end).
    expect(claims.filter((c) => c.kind === 'follows').length).toBeGreaterThanOrEqual(1);
    expect(claims.filter((c) => c.kind === 'comments')).toHaveLength(1);
    expect(log.join('\n')).toContain('could not be recorded first');
    expect(log).toContain(
      '1 comment(s) not done: comments were off on the remaining items, or it was not recorded',
    );
  });

  it('asks no more of a kind once the ledger refused it', async () => {
    const account = 'refused';
    const targets = { ...noTargets, videos: 3, likes: 3, searches: 1 };
    const { ledger, claims } = testLedger(account, targets, {}, () => 'refused');
    const settings = quickSettings({ videos: r(3), searchKeywords: ['dogs'] });
    const { outcome } = await runOnFixture(host, site, account, { settings, ledger, seed: 9 });

    const server = site.stats.account(account);
    expect([server.likes, server.searches]).toEqual([[], []]);
    expect(server.views.length).toBeGreaterThanOrEqual(2);
    expect(completed(outcome).counters).toMatchObject({ likes: 0, searches: 0 });
    expect(claims.map((c) => c.kind)).toEqual(['likes', 'searches']);
  });
});
