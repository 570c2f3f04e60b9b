// Reading the page through a site profile, in three parts: finding (the element of a selector that
// is most in view — the current feed item, its like button… —, whether a control is on or enabled),
// the health markers, and waiting (for a page's content, for the next feed item).
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
type PageElement = {
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number };
  contains(other: PageElement): boolean;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
};
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

/** Runs in the page: is the target one of the matches, inside one, or (when `inward`) holding one? */
function relatesTo(matches: PageElement[], arg: readonly [PageElement, boolean]): boolean {
  const [target, outward] = arg;
  return matches.some((m) => m === target || target.contains(m) || (outward && m.contains(target)));
}

/** Runs in the page: a control is enabled unless disabled or aria-disabled="true". */
function isEnabled(el: PageElement): boolean {
  return !el.hasAttribute('disabled') && el.getAttribute('aria-disabled') !== 'true';
}

type Guard = <T>(promise: Promise<T>) => Promise<T>;

export function createPageOps(page: Page, profile: SiteProfile, signal: AbortSignal) {
  const guard: Guard = (promise) => abortable(promise, signal);
  const find = createFinder(page, profile, signal, guard);
  const markers = createMarkerCheck(page, profile, find.anyVisible);
  const waits = createWaits(page, profile, signal, { guard, find, markers });
  return {
    guard,
    mostVisible: find.mostVisible,
    require: find.require,
    requireSelector: find.requireSelector,
    checkMarkers: markers.checkMarkers,
    checkMarkersQuietly: markers.checkMarkersQuietly,
    waitForContent: waits.waitForContent,
    currentItem: find.currentItem,
    waitForItemChange: waits.waitForItemChange,
    relates: find.relates,
    mostVisibleHandle: find.mostVisibleHandle,
    waitUntilEnabled: find.waitUntilEnabled,
    anyVisible: find.anyVisible,
  };
}

/** Finding elements by what is in view, and asking a control about itself. */
function createFinder(page: Page, profile: SiteProfile, signal: AbortSignal, guard: Guard) {
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

  /**
   * Whether `control` is, holds or sits inside a match of `selector` ("is this like already on?",
   * with `outward`), or is or holds one ("is this item a LIVE card?", without). Any Playwright
   * selector works: the matches are found by Playwright, the relation is checked in the page.
   */
  async function relates(target: ElementHandle, selector: string, outward: boolean): Promise<boolean> {
    return guard(page.locator(selector).evaluateAll(relatesTo, [target, outward] as const));
  }

  /** The most visible match as a handle that keeps pointing at that element while the page changes. */
  async function mostVisibleHandle(selector: string): Promise<ElementHandle | null> {
    const found = await mostVisible(selector);
    return found ? guard(found.elementHandle()) : null;
  }

  /** Waits until the control is enabled; false when it is still disabled after timeoutMs. */
  async function waitUntilEnabled(control: Locator, timeoutMs: number): Promise<boolean> {
    const enabled = await poll(async () => ((await guard(control.evaluate(isEnabled))) ? true : null), {
      timeoutMs,
      intervalMs: 100,
      signal,
    });
    return enabled === true;
  }

  async function currentItem(): Promise<ElementHandle | null> {
    const item = await mostVisible(profile.selectors.feedItem);
    return item ? guard(item.elementHandle()) : null;
  }

  return {
    mostVisible,
    anyVisible,
    requireSelector,
    require,
    relates,
    mostVisibleHandle,
    waitUntilEnabled,
    currentItem,
  };
}

/** The health markers: blocked, captcha, logged out (a marker selector in view, or the login path). */
function createMarkerCheck(
  page: Page,
  profile: SiteProfile,
  anyVisible: (selector: string) => Promise<boolean>,
) {
  const onLoggedOutPath = () =>
    profile.loggedOutPath !== undefined &&
    new RegExp(profile.loggedOutPath).test(new URL(page.url()).pathname);

  /** Fails the run with the marker's reason when the page shows one. */
  async function checkMarkers(): Promise<void> {
    for (const [marker, field, text] of MARKERS) {
      const selector = profile.selectors[field] as string;
      if (await anyVisible(selector)) {
        throw new WarmupFailure(marker, `${text} (selectors.${field} is visible on ${page.url()})`);
      }
    }
    // After the selectors: a login page that also shows the marker is reported by the marker.
    if (onLoggedOutPath()) {
      throw new WarmupFailure(
        'logged_out',
        `the account is logged out (the site sent the page to ${new URL(page.url()).pathname}, which matches loggedOutPath)`,
      );
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

  return { onLoggedOutPath, checkMarkers, checkMarkersQuietly };
}

/** Waiting for what a load or a move should bring into view. */
function createWaits(
  page: Page,
  profile: SiteProfile,
  signal: AbortSignal,
  deps: {
    guard: Guard;
    find: ReturnType<typeof createFinder>;
    markers: ReturnType<typeof createMarkerCheck>;
  },
) {
  const { guard, find, markers } = deps;

  /**
   * After a page load: wait until the expected content, a health marker or one of `alsoWatch`
   * (a dialog over the page) is in view; then `onShown` (markers, dismissals) and the content.
   */
  async function waitForContent(
    field: SelectorField,
    options: { alsoWatch?: string[]; onShown?: () => Promise<void>; timeoutMs?: number } = {},
  ): Promise<void> {
    const selector = profile.selectors[field] as string;
    const watched = [
      selector,
      ...MARKERS.map(([, marker]) => profile.selectors[marker] as string),
      ...(options.alsoWatch ?? []),
    ];
    const anyShown = async () => {
      if (markers.onLoggedOutPath()) return true;
      for (const candidate of watched) if (await find.anyVisible(candidate)) return true;
      return null;
    };
    await poll(anyShown, { timeoutMs: options.timeoutMs ?? 15_000, signal });
    await (options.onShown ?? markers.checkMarkers)();
    await find.require(field, options.alsoWatch?.length ? 5000 : 1);
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

  return { waitForContent, waitForItemChange };
}
