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

/** The URL-path markers, checked after the selectors in this order. */
const PATH_MARKERS: ReadonlyArray<[Marker, 'blockedPath' | 'captchaPath' | 'loggedOutPath', string]> = [
  ['blocked', 'blockedPath', 'the account is blocked'],
  ['captcha', 'captchaPath', 'a captcha is shown'],
  ['logged_out', 'loggedOutPath', 'the account is logged out'],
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

/**
 * Runs in the page: index of the element with the largest area in the viewport, -1 if none is;
 * with `scope`, only elements inside it count; with `previous`, -2 when that one is still it.
 */
function mostVisibleIndex(
  elements: PageElement[],
  arg?: { previous?: PageElement | null; scope?: PageElement },
): number {
  const win = globalThis as unknown as PageWindow;
  let best = -1;
  let bestArea = 0;
  elements.forEach((el, index) => {
    if (arg?.scope && !arg.scope.contains(el)) return;
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
  const previous = arg?.previous;
  return previous !== undefined && best >= 0 && elements[best] === previous ? -2 : best;
}

/** Runs in the page: index of the innermost container that is or holds the item, -1 if none. */
function nearestContainer(containers: PageElement[], item: PageElement): number {
  let best = -1;
  containers.forEach((c, i) => {
    if ((c === item || c.contains(item)) && (best < 0 || (containers[best] as PageElement).contains(c)))
      best = i;
  });
  return best;
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
    currentScope: find.currentScope,
    mostVisibleInItem: find.mostVisibleInItem,
    requireInItem: find.requireInItem,
    onMarkerPath: markers.onMarkerPath,
    waitForItemChange: waits.waitForItemChange,
    relates: find.relates,
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

  /** The current item's part of the page: its nearest selectors.itemContainer, else the item. */
  async function currentScope(): Promise<ElementHandle | null> {
    const item = await currentItem();
    const container = profile.selectors.itemContainer;
    if (!item || !container) return item;
    const all = page.locator(container);
    const index = await guard(all.evaluateAll(nearestContainer, item));
    if (index < 0) return item;
    await item.dispose().catch(() => {});
    return guard(all.nth(index).elementHandle());
  }

  /**
   * The most visible match inside the current item's container; without a container selector, or
   * when the container holds none, the most visible match on the page (as without one).
   */
  async function mostVisibleInItem(selector: string): Promise<Locator | null> {
    if (!profile.selectors.itemContainer) return mostVisible(selector);
    const scope = await currentScope();
    if (scope) {
      try {
        const all = page.locator(selector);
        const index = await guard(all.evaluateAll(mostVisibleIndex, { scope }));
        if (index >= 0) return all.nth(index);
      } finally {
        await scope.dispose().catch(() => {});
      }
    }
    return mostVisible(selector);
  }

  /** require(), looking inside the current item's container first. */
  async function requireInItem(field: SelectorField, timeoutMs = 5000): Promise<Locator> {
    const selector = profile.selectors[field] as string;
    const found = await poll(() => mostVisibleInItem(selector), { timeoutMs, signal });
    if (found) return found;
    throw new WarmupFailure(
      'selector_missing',
      `selectors.${field} ("${selector}") matched nothing visible on ${page.url()} within ${timeoutMs / 1000} s`,
    );
  }

  return {
    mostVisible,
    anyVisible,
    requireSelector,
    require,
    relates,
    waitUntilEnabled,
    currentItem,
    currentScope,
    mostVisibleInItem,
    requireInItem,
  };
}

/** The health markers: blocked, captcha, logged out (a marker selector in view, or a marker path). */
function createMarkerCheck(
  page: Page,
  profile: SiteProfile,
  anyVisible: (selector: string) => Promise<boolean>,
) {
  /** The first path marker (blockedPath, captchaPath, loggedOutPath) the page's path matches. */
  const onMarkerPath = () => {
    const path = new URL(page.url()).pathname;
    return PATH_MARKERS.find(([, field]) => {
      const pattern = profile[field];
      return pattern !== undefined && new RegExp(pattern).test(path);
    });
  };

  /** Fails the run with the marker's reason when the page shows one. */
  async function checkMarkers(): Promise<void> {
    for (const [marker, field, text] of MARKERS) {
      const selector = profile.selectors[field] as string;
      if (await anyVisible(selector)) {
        throw new WarmupFailure(marker, `${text} (selectors.${field} is visible on ${page.url()})`);
      }
    }
    // After the selectors: a login page that also shows the marker is reported by the marker.
    const onPath = onMarkerPath();
    if (onPath) {
      const [marker, field, text] = onPath;
      throw new WarmupFailure(
        marker,
        `${text} (the site sent the page to ${new URL(page.url()).pathname}, which matches ${field})`,
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

  return { onMarkerPath, checkMarkers, checkMarkersQuietly };
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
      if (markers.onMarkerPath()) return true;
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
      async () => ((await guard(items.evaluateAll(mostVisibleIndex, { previous }))) >= 0 ? true : null),
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
