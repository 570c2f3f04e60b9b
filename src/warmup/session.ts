// The behaviour of one session on an open page: follow the sampled plan (watch, skim, like,
// follow, comment, search) with the sampled delays, checking health markers after every step.
import type { Page } from 'playwright-core';
import { poll, sleep } from './abort.ts';
import { navigationFailure, type WarmupCounters } from './outcome.ts';
import { createPageOps } from './page-ops.ts';
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

const NAVIGATION_TIMEOUT_MS = 30_000;
const ACTION_TIMEOUT_MS = 10_000;

class CapReached extends Error {}

/** Runs the plan, updating input.counters as it goes; true when the session cap cut it short. */
export async function runSession(input: SessionInput): Promise<boolean> {
  const { page, profile, settings, random, signal, counters, log, progress } = input;
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const ops = createPageOps(page, profile, signal);
  const pendingWrites = countPendingWrites(page);
  const deadline = Date.now() + settings.sessionCapSeconds * 1000;
  const plan = planSession(settings, random);
  log(`seed ${random.seed}; ${describePlan(plan)}`);
  let followsOwed = 0;

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
  const click = async (field: SelectorField) => ops.guard((await ops.require(field)).click());

  const open = async (url: string, expect: SelectorField) => {
    try {
      const response = await ops.guard(
        page.goto(url, { waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_MS }),
      );
      if (response?.status() === 407) throw new Error('net::ERR_PROXY_AUTH (HTTP 407 from the proxy)');
    } catch (err) {
      if (signal.aborted) throw err;
      throw navigationFailure(url, err);
    }
    await ops.waitForContent(expect);
  };

  const actions = {
    like: async () => {
      await click('like');
      log('liked');
      return true;
    },
    follow: async () => {
      const button = await ops.mostVisible(profile.selectors.follow);
      if (!button) {
        log('no follow button on this item (already followed?); trying a later one');
        return false;
      }
      await ops.guard(button.click());
      followsOwed--;
      log('followed');
      return true;
    },
    comment: async () => {
      if (profile.selectors.commentOpen) await click('commentOpen');
      await click('commentInput');
      const text = random.pick(settings.commentTemplates);
      await ops.guard(page.keyboard.type(text, { delay: random.int(20, 70) }));
      await click('commentSubmit');
      log(`commented "${text}"`);
      return true;
    },
  };
  const act = async (name: keyof typeof actions) => {
    await pauseBeforeAction();
    // A captcha that came up during the pause would swallow the click.
    await ops.checkMarkers();
    if (!(await actions[name]())) return;
    counters[`${name}s`]++;
    progress();
    await ops.checkMarkers();
  };

  const visit = async (item: ItemPlan) => {
    if (item.watchSeconds === null) {
      await pause(random.int(GLANCE_MS.min, GLANCE_MS.max));
      counters.scrolls++;
      progress();
      await ops.checkMarkers();
      return;
    }
    const seconds = Math.min(item.watchSeconds, Math.floor((await pause(item.watchSeconds * 1000)) / 1000));
    counters.itemsViewed++;
    counters.watchSeconds += seconds;
    progress();
    log(`watched an item for ${seconds} s`);
    checkCap();
    await ops.checkMarkers();
    if (item.follow) followsOwed++;
    if (item.like) await act('like');
    if (followsOwed > 0) await act('follow');
    if (item.comment) await act('comment');
  };

  const next = async () => {
    checkCap();
    const before = await ops.currentItem();
    const move = profile.next;
    if (move.kind === 'key') {
      // Focus left in a comment box would swallow the key.
      await ops.guard(page.evaluate('document.activeElement && document.activeElement.blur()'));
      await ops.guard(page.keyboard.press(move.key));
    } else if (move.kind === 'scroll') {
      await ops.guard(page.mouse.wheel(0, move.pixels));
    } else {
      await ops.guard((await ops.requireSelector('next.selector', move.selector)).click());
    }
    await ops.waitForItemChange(before);
    await before?.dispose().catch(() => {});
  };

  const visitAll = async (items: ItemPlan[]) => {
    for (const [index, item] of items.entries()) {
      if (index > 0) await next();
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
        await ops.waitForContent('feedItem');
        await visitAll(plan.search.items);
      }
    }
    if (followsOwed > 0) log(`${followsOwed} follow(s) not done: no follow button on the remaining items`);
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

/** Counts the page's requests that change something (not GET) and have not finished yet. */
function countPendingWrites(page: Page): () => number {
  let pending = 0;
  const isWrite = (request: { method(): string }) =>
    request.method() !== 'GET' && request.method() !== 'HEAD';
  page.on('request', (request) => {
    if (isWrite(request)) pending++;
  });
  const done = (request: { method(): string }) => {
    if (isWrite(request)) pending--;
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return () => pending;
}
