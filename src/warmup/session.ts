// The behaviour of one session on an open page: follow the sampled plan (watch, skim, like,
// follow, comment, search) with the sampled delays, checking health markers and dismissing
// interruptions after every step, and passing over the items the profile says to skip.
import type { Page } from 'playwright-core';
import { poll, sleep } from './abort.ts';
import { createEngagement, type Toggle } from './engagement.ts';
import { createFeedMoves } from './feed-moves.ts';
import { createDismisser } from './interruptions.ts';
import { type WarmupCounters, WarmupFailure } from './outcome.ts';
import { createPageOps } from './page-ops.ts';
import { countPendingWrites } from './pending-writes.ts';
import { describePlan, GLANCE_MS, type ItemPlan, planSession } from './plan.ts';
import type { Random } from './random.ts';
import type { WarmupSettings } from './settings.ts';
import type { SelectorField, SiteProfile } from './site-profile.ts';

export type SessionInput = {
  page: Page;
  profile: SiteProfile;
  settings: WarmupSettings;
  random: Random;
  signal: AbortSignal;
  counters: WarmupCounters;
  log: (line: string) => void;
  progress: () => void;
};

const ACTION_TIMEOUT_MS = 10_000;
/** A feed of nothing but LIVE cards and ads means the profile's skipItem matches too much. */
const MAX_SKIPS_IN_A_ROW = 30;
const PAST = { like: 'liked', follow: 'followed' } as const;

class CapReached extends Error {}

/** Runs the plan, updating input.counters as it goes; true when the session cap cut it short. */
export async function runSession(input: SessionInput): Promise<boolean> {
  const { page, profile, settings, random, signal, counters, log, progress } = input;
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
  const deadline = Date.now() + settings.sessionCapSeconds * 1000;
  const plan = planSession(settings, random);
  log(`seed ${random.seed}; ${describePlan(plan)}`);
  // A like or follow that cannot go to its planned item (already on) moves to the next watched one.
  const owed: Record<Toggle, number> = { like: 0, follow: 0 };

  const checkCap = () => {
    if (Date.now() >= deadline) throw new CapReached();
  };
  /** Sleeps ms, or until the cap; returns the milliseconds actually slept. */
  const pause = async (ms: number) => {
    checkCap();
    const slept = Math.min(ms, deadline - Date.now());
    await sleep(slept, signal);
    return slept;
  };
  const pauseBeforeAction = () =>
    pause(random.int(settings.delaySeconds.min, settings.delaySeconds.max) * 1000);
  const open = async (url: string, expect: SelectorField) => {
    await moves.goto(url);
    await ops.waitForContent(expect, {
      alsoWatch: profile.dismiss.map((rule) => rule.when),
      onShown: checkPage,
    });
  };

  /** One like or follow: never on a control that is already on; one click, verified when possible. */
  const toggle = async (kind: Toggle) => {
    const { control, on } = await engage.inspect(kind);
    if (!control) {
      log(`no ${kind} button on this item (already ${PAST[kind]}?); trying a later one`);
      return;
    }
    try {
      if (on) {
        log(`already ${PAST[kind]}: not clicked; trying a later item`);
        return;
      }
      await pauseBeforeAction();
      // A dialog or captcha that came up during the pause would swallow the click.
      await checkPage();
      const result = await engage.switchOn(control, kind);
      if (result === 'unchanged') {
        log(`clicked ${kind} once, but it did not turn on: not counted, not clicked again`);
        return;
      }
      owed[kind]--;
      counters[`${kind}s`]++;
      progress();
      log(
        result === 'clicked' ? `${PAST[kind]} (unverified: selectors.${kind}Active is not set)` : PAST[kind],
      );
    } finally {
      await control.dispose().catch(() => {});
    }
    await checkPage();
  };

  const comment = async () => {
    await pauseBeforeAction();
    await checkPage();
    const text = random.pick(settings.commentTemplates);
    if (!(await engage.comment(text))) return;
    counters.comments++;
    progress();
    log(`commented "${text}"`);
    await checkPage();
  };

  const visit = async (item: ItemPlan) => {
    if (item.watchSeconds === null) {
      await pause(random.int(GLANCE_MS.min, GLANCE_MS.max));
      counters.scrolls++;
      progress();
      await checkPage();
      return;
    }
    const seconds = Math.min(item.watchSeconds, Math.floor((await pause(item.watchSeconds * 1000)) / 1000));
    counters.itemsViewed++;
    counters.watchSeconds += seconds;
    progress();
    log(`watched an item for ${seconds} s`);
    checkCap();
    await checkPage();
    if (item.like) owed.like++;
    if (item.follow) owed.follow++;
    if (owed.like > 0) await toggle('like');
    if (owed.follow > 0) await toggle('follow');
    if (item.comment) await comment();
  };

  const next = async () => {
    checkCap();
    await moves.next();
  };

  /** Moves past LIVE cards and ads (selectors.skipItem): not watched, not engaged, not counted. */
  const passSkipItems = async () => {
    for (let passed = 0; await moves.onSkipItem(); passed++) {
      if (passed >= MAX_SKIPS_IN_A_ROW)
        throw new WarmupFailure(
          'selector_missing',
          `${MAX_SKIPS_IN_A_ROW} items in a row matched selectors.skipItem ("${profile.selectors.skipItem}") on ${page.url()}`,
        );
      log('passed over an item matching selectors.skipItem (LIVE or an ad)');
      await pause(random.int(GLANCE_MS.min, GLANCE_MS.max));
      await next();
      await checkPage();
    }
  };

  const visitAll = async (items: ItemPlan[]) => {
    for (const [index, item] of items.entries()) {
      if (index > 0) await next();
      await passSkipItems();
      checkCap();
      await visit(item);
    }
  };

  let capped = false;
  try {
    await open(profile.startUrl, 'feedItem');
    log(`opened ${profile.startUrl}`);
    await visitAll(plan.feed);
    if (plan.search) {
      await pauseBeforeAction();
      await open(
        profile.searchUrl.replace('{query}', encodeURIComponent(plan.search.keyword)),
        'searchResultItem',
      );
      counters.searches++;
      progress();
      log(`searched "${plan.search.keyword}"`);
      if (plan.search.items.length > 0) {
        const results = page.locator(profile.selectors.searchResultItem);
        const count = await ops.guard(results.count());
        await ops.guard(results.nth(random.int(0, Math.min(count, 6) - 1)).click());
        await ops.waitForContent('feedItem', {
          alsoWatch: profile.dismiss.map((rule) => rule.when),
          onShown: checkPage,
        });
        await visitAll(plan.search.items);
      }
    }
    if (owed.like > 0) log(`${owed.like} like(s) not done: the remaining items were already liked`);
    if (owed.follow > 0)
      log(`${owed.follow} follow(s) not done: no follow button, or already followed, on the remaining items`);
  } catch (err) {
    if (!(err instanceof CapReached)) {
      // A marker on the page (a captcha over the button that timed out) explains a failure best.
      if (!signal.aborted) await ops.checkMarkersQuietly();
      throw err;
    }
    capped = true;
    log(`session cap of ${settings.sessionCapSeconds} s reached`);
  }
  // Let the last like/comment requests reach the site before the page closes.
  await poll(async () => (pendingWrites() === 0 ? true : null), { timeoutMs: 3000, signal });
  return capped;
}
