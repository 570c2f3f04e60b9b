// The session plan: a run's targets sampled once from the settings' ranges with a seeded random
// source (stored with the run, so every attempt works towards the same numbers), and the layout
// of one session — the items to watch and skim, and which get an action — for what is still owed.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { WarmupCounters } from './outcome.ts';
import { createRandom, type Random } from './random.ts';
import type { Range, WarmupSettings } from './settings.ts';

/** One feed item: watched for watchSeconds (with the actions marked), or skimmed when null. */
export type ItemPlan = { watchSeconds: number | null; like: boolean; follow: boolean; comment: boolean };

/** What a run sets out to do; `searches` is 1 when the settings have keywords, else 0. */
export type RunTargets = {
  scrolls: number;
  videos: number;
  likes: number;
  follows: number;
  comments: number;
  searches: number;
};

/** A run's targets and the seed they were drawn with, as stored on the run. */
export type RunPlan = { seed: number; targets: RunTargets };

export type SessionPlan = {
  /** What this session sets out to do: the run's targets, less what earlier attempts did. */
  targets: RunTargets;
  /** Items on the start page's feed, in order. */
  feed: ItemPlan[];
  /** A keyword search and the items watched from its results (none: only the results page). */
  search: { keyword: string; items: ItemPlan[] } | null;
};

/** How long a skimmed item stays on screen before the next move. */
export const GLANCE_MS: Range = { min: 300, max: 1200 };

const count = z.int().min(0);
const runPlanSchema = z.object({
  seed: z.int(),
  targets: z.object({
    scrolls: count,
    videos: count,
    likes: count,
    follows: count,
    comments: count,
    searches: count,
  }),
});

/** Draws a run's targets with a fresh seed (the first attempt of a run number does this, once). */
export function drawRunPlan(settings: WarmupSettings, seed: number = randomInt(0, 2 ** 31)): RunPlan {
  return { seed, targets: sampleTargets(settings, createRandom(seed)) };
}

/** A stored plan, or null when it is missing or not one. */
export function readRunPlan(value: unknown): RunPlan | null {
  const parsed = runPlanSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function sampleTargets(settings: WarmupSettings, random: Random): RunTargets {
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
  return {
    scrolls: sample(settings.scrolls),
    videos,
    likes: upTo(settings.likes),
    follows: upTo(settings.follows),
    comments: upTo(settings.comments),
    searches: settings.searchKeywords.length > 0 ? 1 : 0,
  };
}

/**
 * What is left of the targets after what earlier attempts did (watching as their counters last
 * said; effects as recorded before they happened), never below zero.
 */
export function owedTargets(targets: RunTargets, done: WarmupCounters): RunTargets {
  const left = (target: number, did: number) => Math.max(0, target - did);
  return {
    scrolls: left(targets.scrolls, done.scrolls),
    videos: left(targets.videos, done.itemsViewed),
    likes: left(targets.likes, done.likes),
    follows: left(targets.follows, done.follows),
    comments: left(targets.comments, done.comments),
    searches: left(targets.searches, done.searches),
  };
}

/**
 * Lays the session out: `targets` (by default sampled here) as watched and skimmed items, each
 * action on distinct watched items — so at least as many are watched as the largest action needs.
 */
export function planSession(
  settings: WarmupSettings,
  random: Random,
  targets: RunTargets = sampleTargets(settings, random),
): SessionPlan {
  const videos = Math.max(targets.videos, targets.likes, targets.follows, targets.comments);
  const watched: ItemPlan[] = Array.from({ length: videos }, () => ({
    watchSeconds: random.int(settings.watchSeconds.min, settings.watchSeconds.max),
    like: false,
    follow: false,
    comment: false,
  }));
  // Each action goes to distinct watched items, chosen at random.
  for (const action of ['like', 'follow', 'comment'] as const) {
    const wanted = targets[`${action}s`];
    for (const index of random.shuffle(watched.map((_, i) => i)).slice(0, wanted)) {
      (watched[index] as ItemPlan)[action] = true;
    }
  }

  const keywords = settings.searchKeywords;
  const searching = keywords.length > 0 && targets.searches > 0;
  // Part of the watching happens on search results; the feed keeps at least one watched item.
  const fromSearch = searching && videos >= 2 ? random.int(1, Math.floor(videos / 2)) : 0;
  const skims: ItemPlan[] = Array.from({ length: targets.scrolls }, () => ({
    watchSeconds: null,
    like: false,
    follow: false,
    comment: false,
  }));
  return {
    targets: { ...targets, videos, searches: searching ? 1 : 0 },
    feed: random.shuffle([...watched.slice(0, videos - fromSearch), ...skims]),
    search: searching ? { keyword: random.pick(keywords), items: watched.slice(videos - fromSearch) } : null,
  };
}

export function describePlan(plan: SessionPlan): string {
  const t = plan.targets;
  const search = plan.search ? `, search "${plan.search.keyword}" (${plan.search.items.length} of them)` : '';
  return `plan: watch ${t.videos}${search}, skim ${t.scrolls}, like ${t.likes}, follow ${t.follows}, comment ${t.comments}`;
}
