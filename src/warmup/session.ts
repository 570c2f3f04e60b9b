// The behaviour of one session on an open page, in three steps: prepare (the page's tools, the
// clock against the session cap, the plan of what the run still owes), follow the plan (watch,
// skim, like, follow, comment, search, with the sampled delays, checking health markers and
// dismissing interruptions after every step, passing over the items the profile says to skip,
// recording each like, follow, comment and search in the run's ledger before doing it), and end.
import type { Page } from 'playwright-core';
import { abortable, poll, sleep } from './abort.ts';
import { type EffectKind, type EffectLedger, resumes } from './effects.ts';
import { createEngagement, type Toggle } from './engagement.ts';
import { createFeedMoves } from './feed-moves.ts';
import { createDismisser } from './interruptions.ts';
import { type WarmupCounters, WarmupFailure } from './outcome.ts';
import { createPageOps } from './page-ops.ts';
import { countPendingWrites } from './pending-writes.ts';
import {
  describePlan,
  GLANCE_MS,
  type ItemPlan,
  owedTargets,
  planSession,
  type SessionPlan,
} from './plan.ts';
import type { Random } from './random.ts';
import type { WarmupSettings } from './settings.ts';
import type { SelectorField, SiteProfile } from './site-profile.ts';

export type SessionInput = {
  page: Page;
  profile: SiteProfile;
  settings: WarmupSettings;
  random: Random;
  signal: AbortSignal;
  /** The run's totals: what earlier attempts did (ledger.done), then this session's steps. */
  counters: WarmupCounters;
  ledger: EffectLedger;
  log: (line: string) => void;
  progress: () => void;
};

const ACTION_TIMEOUT_MS = 10_000;
/** A feed of nothing but LIVE cards and ads means the profile's skipItem matches too much. */
const MAX_SKIPS_IN_A_ROW = 30;
const PAST = { like: 'liked', follow: 'followed' } as const;
const EFFECT_OF = { like: 'likes', follow: 'follows' } as const;

class CapReached extends Error {}

/** Sleeps within the session cap: each pause is cut at the deadline, and none starts past it. */
type SessionClock = {
  /** Throws CapReached once the deadline has passed. */
  checkCap(): void;
  /** Sleeps ms, or until the cap; returns the milliseconds actually slept. */
  pause(ms: number): Promise<number>;
  /** The sampled delay before a like, follow, comment or search. */
  pauseBeforeAction(): Promise<number>;
};

/** What every step of a session works with. */
type Walk = {
  input: SessionInput;
  ops: ReturnType<typeof createPageOps>;
  moves: ReturnType<typeof createFeedMoves>;
  engage: ReturnType<typeof createEngagement>;
  /** The health markers, then the interruptions to dismiss. */
  checkPage: () => Promise<void>;
  clock: SessionClock;
  /**
   * A like or follow that cannot go to its planned item (already on) moves to the next watched
   * one; so does a comment on an item whose comments are off.
   */
  owed: Record<Toggle | 'comment', number>;
  /** Effects the ledger refused: the run has them all (or this attempt lost the run); none more. */
  refused: Set<EffectKind>;
};

/** Runs the plan, updating input.counters as it goes; true when the session cap cut it short. */
export async function runSession(input: SessionInput): Promise<boolean> {
  const { walk, plan, pendingWrites } = prepareSession(input);
  let capped = false;
  try {
    await followPlan(walk, plan);
  } catch (err) {
    await explainUnlessCapped(walk, err);
    capped = true;
  }
  // Let the last like/comment requests reach the site before the page closes.
  await poll(async () => (pendingWrites() === 0 ? true : null), { timeoutMs: 3000, signal: input.signal });
  return capped;
}

/** The page's tools, the clock against the session cap and the plan of what the run still owes. */
function prepareSession(input: SessionInput) {
  const { page, profile, settings, random, signal, ledger, log } = input;
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const ops = createPageOps(page, profile, signal);
  const moves = createFeedMoves(page, profile, ops, signal);
  const engage = createEngagement({ page, profile, ops, random, signal, log });
  const dismiss = createDismisser({ page, profile, ops, signal, log });
  const checkPage = async () => {
    await ops.checkMarkers();
    await dismiss();
  };
  const pendingWrites = countPendingWrites(page);
  const clock = createClock(input, Date.now() + settings.sessionCapSeconds * 1000);
  const plan = planSession(settings, random, owedTargets(ledger.targets, ledger.done));
  if (resumes(ledger)) log(`resuming the run: earlier attempts ${describeDone(ledger.done)}`);
  log(`seed ${random.seed}; ${describePlan(plan)}`);
  const owed = { like: 0, follow: 0, comment: 0 };
  const walk: Walk = { input, ops, moves, engage, checkPage, clock, owed, refused: new Set() };
  return { walk, plan, pendingWrites };
}

function createClock(input: SessionInput, deadline: number): SessionClock {
  const { settings, random, signal } = input;
  const checkCap = () => {
    if (Date.now() >= deadline) throw new CapReached();
  };
  const pause = async (ms: number) => {
    checkCap();
    const slept = Math.min(ms, deadline - Date.now());
    await sleep(slept, signal);
    return slept;
  };
  const pauseBeforeAction = () =>
    pause(random.int(settings.delaySeconds.min, settings.delaySeconds.max) * 1000);
  return { checkCap, pause, pauseBeforeAction };
}

/**
 * The end of a session cut short: the cap is logged and ends it well; any other error is rethrown,
 * after a look for a health marker (a captcha over the button that timed out explains it best).
 */
async function explainUnlessCapped(walk: Walk, err: unknown): Promise<void> {
  const { signal, settings, log } = walk.input;
  if (!(err instanceof CapReached)) {
    if (!signal.aborted) await walk.ops.checkMarkersQuietly();
    throw err;
  }
  log(`session cap of ${settings.sessionCapSeconds} s reached`);
}

function describeDone(done: WarmupCounters): string {
  return (
    `watched ${done.itemsViewed}, skimmed ${done.scrolls}; recorded ${done.likes} like(s), ` +
    `${done.follows} follow(s), ${done.comments} comment(s), ${done.searches} search(es)`
  );
}

/**
 * Records one effect in the run's ledger and waits for the record: true when the engine may now
 * perform it. Refused, the run does no more of that kind; unrecorded, it is not done now.
 */
async function record(walk: Walk, kind: EffectKind): Promise<boolean> {
  const { ledger, counters, signal, log } = walk.input;
  if (walk.refused.has(kind)) return false;
  const claim = await abortable(ledger.claim(kind), signal);
  if (claim === 'granted') {
    counters[kind]++;
    return true;
  }
  if (claim === 'refused') {
    walk.refused.add(kind);
    log(`no more ${kind}: the run's record says they are all done (or this attempt lost the run)`);
  } else log(`not done: one of the ${kind} could not be recorded first (the database is away?)`);
  return false;
}

/** The start page's feed, then the search and its results; what was owed and not done is logged. */
async function followPlan(walk: Walk, plan: SessionPlan): Promise<void> {
  const { profile, log } = walk.input;
  await open(walk, profile.startUrl, 'feedItem');
  log(`opened ${profile.startUrl}`);
  await visitAll(walk, plan.feed);
  if (plan.search) await search(walk, plan.search);
  const { owed } = walk;
  if (owed.like > 0 && !walk.refused.has('likes'))
    log(`${owed.like} like(s) not done: the remaining items were already liked, or it was not recorded`);
  if (owed.follow > 0 && !walk.refused.has('follows'))
    log(
      `${owed.follow} follow(s) not done: no follow button, or already followed, on the remaining items, or it was not recorded`,
    );
  if (owed.comment > 0 && !walk.refused.has('comments'))
    log(
      `${owed.comment} comment(s) not done: comments were off on the remaining items, or it was not recorded`,
    );
}

async function open(walk: Walk, url: string, expect: SelectorField): Promise<void> {
  await walk.moves.goto(url);
  await walk.ops.waitForContent(expect, {
    alsoWatch: walk.input.profile.dismiss.map((rule) => rule.when),
    onShown: walk.checkPage,
  });
}

/** Searches the keyword and watches the planned items from one of the first results. */
async function search(walk: Walk, plan: NonNullable<SessionPlan['search']>): Promise<void> {
  const { page, profile, random, progress, log } = walk.input;
  const { ops } = walk;
  await walk.clock.pauseBeforeAction();
  if (!(await record(walk, 'searches'))) return;
  await open(
    walk,
    profile.searchUrl.replace('{query}', encodeURIComponent(plan.keyword)),
    'searchResultItem',
  );
  progress();
  log(`searched "${plan.keyword}"`);
  if (plan.items.length === 0) return;
  const results = page.locator(profile.selectors.searchResultItem);
  const count = await ops.guard(results.count());
  await ops.guard(results.nth(random.int(0, Math.min(count, 6) - 1)).click());
  await ops.waitForContent('feedItem', {
    alsoWatch: profile.dismiss.map((rule) => rule.when),
    onShown: walk.checkPage,
  });
  await visitAll(walk, plan.items);
}

async function visitAll(walk: Walk, items: ItemPlan[]): Promise<void> {
  for (const [index, item] of items.entries()) {
    if (index > 0) await next(walk);
    await passSkipItems(walk);
    walk.clock.checkCap();
    await visit(walk, item);
  }
}

async function next(walk: Walk): Promise<void> {
  walk.clock.checkCap();
  await walk.moves.next();
}

/** Moves past LIVE cards and ads (selectors.skipItem): not watched, not engaged, not counted. */
async function passSkipItems(walk: Walk): Promise<void> {
  const { page, profile, random, log } = walk.input;
  for (let passed = 0; await walk.moves.onSkipItem(); passed++) {
    if (passed >= MAX_SKIPS_IN_A_ROW)
      throw new WarmupFailure(
        'selector_missing',
        `${MAX_SKIPS_IN_A_ROW} items in a row matched selectors.skipItem ("${profile.selectors.skipItem}") on ${page.url()}`,
      );
    log('passed over an item matching selectors.skipItem (LIVE or an ad)');
    await walk.clock.pause(random.int(GLANCE_MS.min, GLANCE_MS.max));
    await next(walk);
    await walk.checkPage();
  }
}

/** Skims the item, or watches it and then likes, follows and comments as planned (or owed). */
async function visit(walk: Walk, item: ItemPlan): Promise<void> {
  const { random, counters, progress, log } = walk.input;
  const { clock, owed } = walk;
  if (item.watchSeconds === null) {
    await clock.pause(random.int(GLANCE_MS.min, GLANCE_MS.max));
    counters.scrolls++;
    progress();
    await walk.checkPage();
    return;
  }
  const seconds = Math.min(
    item.watchSeconds,
    Math.floor((await clock.pause(item.watchSeconds * 1000)) / 1000),
  );
  counters.itemsViewed++;
  counters.watchSeconds += seconds;
  progress();
  log(`watched an item for ${seconds} s`);
  clock.checkCap();
  await walk.checkPage();
  if (item.like) owed.like++;
  if (item.follow) owed.follow++;
  if (owed.like > 0 && !walk.refused.has('likes')) await toggle(walk, 'like');
  if (owed.follow > 0 && !walk.refused.has('follows')) await toggle(walk, 'follow');
  if (item.comment) owed.comment++;
  if (owed.comment > 0 && !walk.refused.has('comments')) await comment(walk);
}

/**
 * One like or follow: never on a control that is already on; recorded before the click; one
 * click, verified when possible (a click that did not turn it on gives the record back).
 */
async function toggle(walk: Walk, kind: Toggle): Promise<void> {
  const { progress, log } = walk.input;
  const { control, on } = await walk.engage.inspect(kind);
  if (!control) {
    log(`no ${kind} button on this item (already ${PAST[kind]}?); trying a later one`);
    return;
  }
  try {
    if (on) {
      log(`already ${PAST[kind]}: not clicked; trying a later item`);
      return;
    }
    await walk.clock.pauseBeforeAction();
    // A dialog or captcha that came up during the pause would swallow the click.
    await walk.checkPage();
    if (!(await record(walk, EFFECT_OF[kind]))) return;
    const result = await walk.engage.switchOn(control, kind);
    walk.owed[kind]--;
    progress();
    // Not shown as on within the wait: it may still land, so the record stands — at worst the run
    // does one fewer, never one more.
    if (result === 'unchanged')
      log(
        `clicked ${kind} once, but it did not show as on: kept as done (it may land late), not clicked again`,
      );
    else
      log(
        result === 'clicked' ? `${PAST[kind]} (unverified: selectors.${kind}Active is not set)` : PAST[kind],
      );
  } finally {
    await control.dispose().catch(() => {});
  }
  await walk.checkPage();
}

/** One comment, recorded once it is typed and can be posted, before the post. */
async function comment(walk: Walk): Promise<void> {
  const { settings, random, progress, log } = walk.input;
  await walk.clock.pauseBeforeAction();
  await walk.checkPage();
  const text = random.pick(settings.commentTemplates);
  const result = await walk.engage.comment(text, () => record(walk, 'comments'));
  if (result === 'off')
    return log('comments are off on this item (selectors.commentsOff); trying a later one');
  // Not recorded (refused, or the database away): still owed, unless the ledger refused comments.
  if (result === 'refused') return;
  walk.owed.comment--;
  if (result !== 'posted') return;
  progress();
  log(`commented "${text}"`);
  await walk.checkPage();
}
