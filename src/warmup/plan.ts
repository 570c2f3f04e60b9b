// The session plan: every target sampled up front from the settings' ranges with a seeded random
// source, so a run is reproducible and the sampler can be tested without a browser.
import type { Random } from './random.ts';
import type { Range, WarmupSettings } from './settings.ts';

/** One feed item: watched for watchSeconds (with the actions marked), or skimmed when null. */
export type ItemPlan = { watchSeconds: number | null; like: boolean; follow: boolean; comment: boolean };

export type SessionPlan = {
  targets: { scrolls: number; videos: number; likes: number; follows: number; comments: number };
  /** Items on the start page's feed, in order. */
  feed: ItemPlan[];
  /** A keyword search and the items watched from its results (none: only the results page). */
  search: { keyword: string; items: ItemPlan[] } | null;
};

/** How long a skimmed item stays on screen before the next move. */
export const GLANCE_MS: Range = { min: 300, max: 1200 };

export function planSession(settings: WarmupSettings, random: Random): SessionPlan {
  const sample = (r: Range) => random.int(r.min, r.max);
  // The settings schema guarantees each action's min ≤ videos.max, so this range is never empty.
  const videosFloor = Math.max(
    settings.videos.min,
    settings.likes.min,
    settings.follows.min,
    settings.comments.min,
  );
  const videos = random.int(videosFloor, settings.videos.max);
  const upTo = (r: Range) => random.int(r.min, Math.min(r.max, videos));
  const targets = {
    scrolls: sample(settings.scrolls),
    videos,
    likes: upTo(settings.likes),
    follows: upTo(settings.follows),
    comments: upTo(settings.comments),
  };

  const watched: ItemPlan[] = Array.from({ length: videos }, () => ({
    watchSeconds: sample(settings.watchSeconds),
    like: false,
    follow: false,
    comment: false,
  }));
  // Each action goes to distinct watched items, chosen at random.
  for (const action of ['like', 'follow', 'comment'] as const) {
    const count = targets[`${action}s`];
    for (const index of random.shuffle(watched.map((_, i) => i)).slice(0, count)) {
      (watched[index] as ItemPlan)[action] = true;
    }
  }

  const keywords = settings.searchKeywords;
  // Part of the watching happens on search results; the feed keeps at least one watched item.
  const fromSearch = keywords.length > 0 && videos >= 2 ? random.int(1, Math.floor(videos / 2)) : 0;
  const skims: ItemPlan[] = Array.from({ length: targets.scrolls }, () => ({
    watchSeconds: null,
    like: false,
    follow: false,
    comment: false,
  }));
  return {
    targets,
    feed: random.shuffle([...watched.slice(0, videos - fromSearch), ...skims]),
    search:
      keywords.length > 0
        ? { keyword: random.pick(keywords), items: watched.slice(videos - fromSearch) }
        : null,
  };
}

export function describePlan(plan: SessionPlan): string {
  const t = plan.targets;
  const search = plan.search ? `, search "${plan.search.keyword}" (${plan.search.items.length} of them)` : '';
  return `plan: watch ${t.videos}${search}, skim ${t.scrolls}, like ${t.likes}, follow ${t.follows}, comment ${t.comments}`;
}
