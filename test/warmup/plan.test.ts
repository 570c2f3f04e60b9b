// The seeded random source and the session plan, without a browser: 20 seeded plans with wide
// ranges land inside every range, and the same seed gives the same plan.
import { describe, expect, it } from 'vitest';
import { planSession, type SessionPlan } from '../../src/warmup/plan.ts';
import { createRandom } from '../../src/warmup/random.ts';
import { resolveSettings } from '../../src/warmup/settings.ts';

const r = (min: number, max: number) => ({ min, max });
const wide = resolveSettings(undefined, {
  scrolls: r(0, 30),
  videos: r(2, 40),
  watchSeconds: r(1, 60),
  likes: r(1, 50),
  follows: r(0, 10),
  comments: r(0, 5),
  searchKeywords: ['cats', 'cooking', 'travel'],
});

function totals(plan: SessionPlan) {
  const items = [...plan.feed, ...(plan.search?.items ?? [])];
  const watched = items.filter((i) => i.watchSeconds !== null);
  return {
    scrolls: items.length - watched.length,
    videos: watched.length,
    watchSeconds: watched.reduce((sum, i) => sum + (i.watchSeconds ?? 0), 0),
    likes: watched.filter((i) => i.like).length,
    follows: watched.filter((i) => i.follow).length,
    comments: watched.filter((i) => i.comment).length,
    actionsOnSkims: items.filter((i) => i.watchSeconds === null && (i.like || i.follow || i.comment)).length,
  };
}

describe('createRandom', () => {
  it('is reproducible from its seed and stays inside its bounds', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const seqA = Array.from({ length: 50 }, () => a.int(3, 9));
    expect(seqA).toEqual(Array.from({ length: 50 }, () => b.int(3, 9)));
    expect(seqA.every((n) => n >= 3 && n <= 9)).toBe(true);
    expect(new Set(seqA).size).toBe(7); // every value in 3..9 shows up
    expect(createRandom(8).int(0, 1_000_000)).not.toBe(createRandom(7).int(0, 1_000_000));
  });

  it('picks, shuffles and flips coins', () => {
    const random = createRandom(1);
    expect(['a', 'b', 'c']).toContain(random.pick(['a', 'b', 'c']));
    expect(() => random.pick([])).toThrow('empty');
    expect(random.shuffle([1, 2, 3, 4, 5]).toSorted()).toEqual([1, 2, 3, 4, 5]);
    expect(random.chance(0)).toBe(false);
    expect(random.chance(1)).toBe(true);
    expect(() => random.int(5, 1)).toThrow(RangeError);
    expect(typeof createRandom().seed).toBe('number');
  });
});

describe('planSession', () => {
  it.each(Array.from({ length: 20 }, (_, i) => i + 1))(
    'seed %i: every target lands inside its range',
    (seed) => {
      const plan = planSession(wide, createRandom(seed));
      const t = totals(plan);
      const within = (value: number, range: { min: number; max: number }) => {
        expect(value).toBeGreaterThanOrEqual(range.min);
        expect(value).toBeLessThanOrEqual(range.max);
      };
      within(t.scrolls, wide.scrolls);
      within(t.videos, wide.videos);
      within(t.likes, wide.likes);
      within(t.follows, wide.follows);
      within(t.comments, wide.comments);
      within(t.watchSeconds, r(t.videos * wide.watchSeconds.min, t.videos * wide.watchSeconds.max));
      expect(t.actionsOnSkims).toBe(0);
      const { searches, ...laidOut } = plan.targets;
      expect(t).toMatchObject(laidOut);
      expect(searches).toBe(1);
      expect(wide.searchKeywords).toContain(plan.search?.keyword);
      // The feed keeps at least half of the watching; search results get the rest.
      expect(plan.search?.items.length).toBeLessThanOrEqual(Math.floor(t.videos / 2));
      expect(plan.feed.some((i) => i.watchSeconds !== null)).toBe(true);
    },
  );

  it('the same seed gives the same plan', () => {
    expect(planSession(wide, createRandom(99))).toEqual(planSession(wide, createRandom(99)));
  });

  it('raises the watched videos to what the actions need, and never searches without keywords', () => {
    const settings = resolveSettings(undefined, { videos: r(1, 10), likes: r(6, 6), searchKeywords: [] });
    for (let seed = 1; seed <= 20; seed++) {
      const plan = planSession(settings, createRandom(seed));
      expect(plan.targets.videos).toBeGreaterThanOrEqual(6);
      expect(totals(plan).likes).toBe(6);
      expect(plan.search).toBeNull();
    }
  });
});
