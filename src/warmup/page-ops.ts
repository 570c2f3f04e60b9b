// Reading the page through a site profile: the element of a selector that is most in view (the
// current feed item, its like button…), visibility checks, and the health markers.
import type { ElementHandle, Locator, Page } from 'playwright-core';
import { abortable, poll, settleWithin } from './abort.ts';
import { type FailureReason, WarmupFailure } from './outcome.ts';
import type { SelectorField, SiteProfile } from './site-profile.ts';

type Marker = Extract<FailureReason, 'blocked' | 'captcha' | 'logged_out'>;

const MARKERS: ReadonlyArray<[Marker, SelectorField, string]> = [
  ['blocked', 'blocked', 'the account is blocked'],
  ['captcha', 'captcha', 'a captcha is shown'],
  ['logged_out', 'loggedOut', 'the account is logged out'],
];

// The few DOM shapes the page function uses (the project compiles without the DOM library).
type PageElement = { getBoundingClientRect(): { left: number; right: number; top: number; bottom: number } };
type PageWindow = {
  innerWidth: number;
  innerHeight: number;
  getComputedStyle(el: PageElement): { visibility: string; display: string };
};

/** Runs in the page: index of the element with the largest area in the viewport, -1 if none is. */
function mostVisibleIndex(elements: PageElement[], previous?: PageElement | null): number {
  const win = globalThis as unknown as PageWindow;
  let best = -1;
  let bestArea = 0;
  elements.forEach((el, index) => {
    const rect = el.getBoundingClientRect();
    const style = win.getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return;
    const width = Math.min(rect.right, win.innerWidth) - Math.max(rect.left, 0);
    const height = Math.min(rect.bottom, win.innerHeight) - Math.max(rect.top, 0);
    const area = width > 0 && height > 0 ? width * height : 0;
    if (area > bestArea) {
      best = index;
      bestArea = area;
    }
  });
  // Used as "has the current item changed?" when a previous element is given.
  return previous !== undefined && best >= 0 && elements[best] === previous ? -2 : best;
}

export function createPageOps(page: Page, profile: SiteProfile, signal: AbortSignal) {
  const guard = <T>(promise: Promise<T>) => abortable(promise, signal);

  async function mostVisible(selector: string): Promise<Locator | null> {
    const all = page.locator(selector);
    const index = await guard(all.evaluateAll(mostVisibleIndex));
    return index >= 0 ? all.nth(index) : null;
  }

  async function anyVisible(selector: string): Promise<boolean> {
    return (await guard(page.locator(selector).evaluateAll(mostVisibleIndex))) >= 0;
  }

  /** The most visible match, waiting up to timeoutMs; selector_missing (naming the field) if none. */
  async function requireSelector(field: string, selector: string, timeoutMs = 5000): Promise<Locator> {
    const found = await poll(() => mostVisible(selector), { timeoutMs, signal });
    if (found) return found;
    throw new WarmupFailure(
      'selector_missing',
      `${field} ("${selector}") matched nothing visible on ${page.url()} within ${timeoutMs / 1000} s`,
    );
  }

  const require = (field: SelectorField, timeoutMs?: number) =>
    requireSelector(`selectors.${field}`, profile.selectors[field] as string, timeoutMs);

  /** Fails the run with the marker's reason when the page shows one. */
  async function checkMarkers(): Promise<void> {
    for (const [marker, field, text] of MARKERS) {
      const selector = profile.selectors[field] as string;
      if (await anyVisible(selector)) {
        throw new WarmupFailure(marker, `${text} (selectors.${field} is visible on ${page.url()})`);
      }
    }
  }

  /** Like checkMarkers, but only a marker is an error here (used to explain another failure). */
  async function checkMarkersQuietly(): Promise<void> {
    const check = checkMarkers();
    // A page that hangs or crashed must not hold up the failure it is meant to explain.
    if (!(await settleWithin(check, 2000))) return;
    await check.catch((err: unknown) => {
      if (err instanceof WarmupFailure) throw err;
    });
  }

  /** After a page load: wait until either the expected content or a health marker is in view. */
  async function waitForContent(field: SelectorField, timeoutMs = 15_000): Promise<void> {
    const selector = profile.selectors[field] as string;
    const watched = [selector, ...MARKERS.map(([, marker]) => profile.selectors[marker] as string)];
    const anyShown = async () => {
      for (const candidate of watched) if (await anyVisible(candidate)) return true;
      return null;
    };
    await poll(anyShown, { timeoutMs, signal });
    await checkMarkers();
    await require(field, 1);
  }

  async function currentItem(): Promise<ElementHandle | null> {
    const item = await mostVisible(profile.selectors.feedItem);
    return item ? guard(item.elementHandle()) : null;
  }

  /** Waits until the most visible feed item is another element than `previous`. */
  async function waitForItemChange(previous: ElementHandle | null, timeoutMs = 10_000): Promise<void> {
    const items = page.locator(profile.selectors.feedItem);
    const changed = await poll(
      async () => ((await guard(items.evaluateAll(mostVisibleIndex, previous))) >= 0 ? true : null),
      { timeoutMs, intervalMs: 100, signal },
    );
    if (changed) return;
    throw new WarmupFailure(
      'selector_missing',
      `moving to the next item (next.kind ${profile.next.kind}) brought no new selectors.feedItem into view on ${page.url()} within ${timeoutMs / 1000} s`,
    );
  }

  return {
    guard,
    mostVisible,
    require,
    requireSelector,
    checkMarkers,
    checkMarkersQuietly,
    waitForContent,
    currentItem,
    waitForItemChange,
  };
}
