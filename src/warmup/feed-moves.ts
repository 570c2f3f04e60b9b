// Moving on the site the way the profile says: opening a page (its errors mapped onto failure
// reasons), moving to the next feed item (a key, a wheel scroll or a click, then waiting until
// another item is the current one), and telling whether the current item is one to skip.
import type { Page } from 'playwright-core';
import { navigationFailure } from './outcome.ts';
import type { createPageOps } from './page-ops.ts';
import type { SiteProfile } from './site-profile.ts';

type PageOps = ReturnType<typeof createPageOps>;

const NAVIGATION_TIMEOUT_MS = 30_000;

export function createFeedMoves(page: Page, profile: SiteProfile, ops: PageOps, signal: AbortSignal) {
  /** Loads url; proxy_error, navigation_timeout or browser_crashed when it does not load. */
  async function goto(url: string): Promise<void> {
    try {
      const response = await ops.guard(
        page.goto(url, { waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_MS }),
      );
      if (response?.status() === 407) throw new Error('net::ERR_PROXY_AUTH (HTTP 407 from the proxy)');
    } catch (err) {
      if (signal.aborted) throw err;
      throw navigationFailure(url, err);
    }
  }

  async function next(): Promise<void> {
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
  }

  /**
   * Whether the current item matches selectors.skipItem (a LIVE card, an ad), itself or inside —
   * or inside its selectors.itemContainer when the profile has one.
   */
  async function onSkipItem(): Promise<boolean> {
    const skip = profile.selectors.skipItem;
    if (!skip) return false;
    const item = await ops.currentScope();
    if (!item) return false;
    try {
      return await ops.relates(item, skip, false);
    } finally {
      await item.dispose().catch(() => {});
    }
  }

  return { goto, next, onSkipItem };
}
