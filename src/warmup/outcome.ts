// What a warmup run returns: counters, the failure reasons with whether a retry makes sense, and
// the mapping of Playwright's errors onto those reasons.
import type { BrowserContext } from 'playwright-core';
import { FAILURE_POLICY, type FailureCode } from './failure-reasons.ts';

export type WarmupCounters = {
  /** Items watched for their sampled time (a watch cut by the session cap counts too). */
  itemsViewed: number;
  /** Whole seconds spent watching. */
  watchSeconds: number;
  likes: number;
  follows: number;
  comments: number;
  searches: number;
  /** Items scrolled past after a short glance. */
  scrolls: number;
};

// The engine's own reasons; their retry and health policy is the one table in failure-reasons.ts.
export const FAILURE_REASONS = [
  'logged_out',
  'captcha',
  'blocked',
  'proxy_error',
  'navigation_timeout',
  'selector_missing',
  'browser_crashed',
  'cancelled',
] as const satisfies readonly FailureCode[];
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const RETRYABLE = Object.fromEntries(
  FAILURE_REASONS.map((r) => [r, FAILURE_POLICY[r].retryable]),
) as Record<FailureReason, boolean>;

export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

export type WarmupOutcome =
  | { status: 'completed'; counters: WarmupCounters; cappedByTime: boolean; storageState: StorageState }
  | {
      status: 'failed';
      reason: FailureReason;
      message: string;
      retryable: boolean;
      screenshot: Buffer | null;
      counters: WarmupCounters;
    };

export function emptyCounters(): WarmupCounters {
  return { itemsViewed: 0, watchSeconds: 0, likes: 0, follows: 0, comments: 0, searches: 0, scrolls: 0 };
}

/** A failure the engine recognised itself (a marker on the page, a selector that matched nothing). */
export class WarmupFailure extends Error {
  override name = 'WarmupFailure';
  readonly reason: FailureReason;
  constructor(reason: FailureReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

/** Maps a failed navigation (page.goto) onto a reason. */
export function navigationFailure(url: string, err: unknown): WarmupFailure {
  const message = errorText(err);
  const reason: FailureReason = /ERR_PROXY|ERR_TUNNEL|ERR_SOCKS|ERR_NO_SUPPORTED_PROXIES/.test(message)
    ? 'proxy_error'
    : isClosedError(message)
      ? 'browser_crashed'
      : 'navigation_timeout';
  return new WarmupFailure(reason, `could not load ${url}: ${message}`, { cause: err });
}

export function classifyError(err: unknown, signal: AbortSignal): { reason: FailureReason; message: string } {
  if (signal.aborted) return { reason: 'cancelled', message: 'cancelled while running' };
  if (err instanceof WarmupFailure) return { reason: err.reason, message: err.message };
  const message = errorText(err);
  if (isClosedError(message))
    return { reason: 'browser_crashed', message: `the browser went away: ${message}` };
  if (err instanceof Error && err.name === 'TimeoutError') {
    return {
      reason: 'selector_missing',
      message: `a page element did not become usable in time: ${message}`,
    };
  }
  return { reason: 'browser_crashed', message: `unexpected error: ${message}` };
}

function isClosedError(message: string): boolean {
  return /crash|has been closed|Target closed|browser has disconnected|Browser closed/i.test(message);
}

/** The first line of an error's message, without credentials that a proxy URL might carry. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const firstLine = text.split('\n')[0] ?? '';
  return firstLine.replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1[redacted]@').slice(0, 300);
}
