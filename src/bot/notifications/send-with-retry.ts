// Sends one Telegram request within the throttle and through Telegram's bad moments: a 429 waits
// out retry_after (and tells the throttle), 5xx and network errors back off exponentially, and an
// error no retry can fix (bad request, bot blocked or kicked) ends at once in a permanent DeliveryError.
import { setTimeout as sleepFor } from 'node:timers/promises';
import { TelegramError } from 'telegraf';
import type { Throttle } from './throttle.ts';

export type RetryReason = 'rate_limited' | 'server_error' | 'network_error';

export type SendOptions = {
  throttle: Throttle;
  /** The chat the request sends to; undefined for a call that only counts against the global cap. */
  chatId: number | undefined;
  /** Aborts waiting and retrying (the request in flight too, if `send` passes it on); rejects with an AbortError. */
  signal?: AbortSignal;
  /** Attempts in all, 429s included, before giving up with a DeliveryError that is not permanent. */
  maxAttempts?: number;
  /** Backoff after a 5xx or network error: initialMs doubling up to maxMs, with jitter. */
  backoff?: { initialMs: number; maxMs: number };
  /** For tests; must keep time with the throttle's clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  onRetry?: (retry: { attempt: number; reason: RetryReason; delayMs: number; error: unknown }) => void;
};

/** The send failed. `permanent`: Telegram refused it and retrying cannot help; else it gave up retrying. */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  readonly code: number | undefined;
  readonly description: string | undefined;
  constructor(message: string, options: { permanent: boolean; cause: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'DeliveryError';
    this.permanent = options.permanent;
    this.code = options.cause instanceof TelegramError ? options.cause.code : undefined;
    this.description = options.cause instanceof TelegramError ? options.cause.description : undefined;
  }
}

const EARLY_TIMER_TOLERANCE_MS = 20;
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export async function sendWithRetry<T>(
  send: (signal: AbortSignal | undefined) => Promise<T>,
  options: SendOptions,
): Promise<T> {
  const { throttle, chatId, signal } = options;
  const sleep = options.sleep ?? ((ms: number, s?: AbortSignal) => sleepFor(ms, undefined, { signal: s }));
  const maxAttempts = options.maxAttempts ?? 10; // with the default backoff: over a minute of outage
  const backoff = options.backoff ?? { initialMs: 500, maxMs: 30_000 };
  const random = options.random ?? Math.random;
  let failures = 0;
  for (let attempt = 1; ; attempt++) {
    const slot = await waitForSlot(throttle, chatId, sleep, signal);
    throttle.dispatched(chatId, slot);
    try {
      return await send(signal);
    } catch (error) {
      signal?.throwIfAborted();
      const reason = retryReason(error);
      if (reason === undefined) {
        if (!(error instanceof TelegramError)) throw error; // a bug, not Telegram: let it surface as is
        throw new DeliveryError(`Telegram refused the request (${error.message}); retrying cannot help`, {
          permanent: true,
          cause: error,
        });
      }
      if (attempt >= maxAttempts) {
        throw new DeliveryError(`gave up after ${attempt} attempts (${reason})`, {
          permanent: false,
          cause: error,
        });
      }
      if (reason === 'rate_limited') {
        const seconds = (error as TelegramError).parameters?.retry_after ?? 1;
        throttle.noteRetryAfter(chatId, seconds); // the next slot waits it out
        options.onRetry?.({ attempt, reason, delayMs: seconds * 1000, error });
        continue;
      }
      failures += 1;
      const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 1));
      const delayMs = Math.round(ceiling / 2 + (random() * ceiling) / 2);
      options.onRetry?.({ attempt, reason, delayMs, error });
      await sleep(delayMs, signal);
    }
  }
}

/** Waits for a throttle slot (returns it); books again when a retry_after pause noted meanwhile covers it. */
async function waitForSlot(
  throttle: Throttle,
  chatId: number | undefined,
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<number> {
  signal?.throwIfAborted();
  for (;;) {
    const { waitMs, slot } = throttle.book(chatId);
    if (waitMs > 0) await sleep(waitMs, signal);
    // Timers may fire a few ms early; the throttle's margin covers that, so only a real pause re-books.
    if (throttle.pausedFor(chatId) <= EARLY_TIMER_TOLERANCE_MS) return slot;
  }
}

/** Why a failed request is worth another try, or undefined when it is not. */
function retryReason(error: unknown): RetryReason | undefined {
  if (error instanceof TelegramError) {
    if (error.code === 429) return 'rate_limited';
    return error.code >= 500 ? 'server_error' : undefined;
  }
  if (!(error instanceof Error)) return undefined;
  // telegraf's node-fetch wraps socket failures in a FetchError; the global fetch in TypeError('fetch failed').
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  const network =
    error.name === 'FetchError' || error.message === 'fetch failed' || NETWORK_ERROR_CODES.has(String(code));
  return network ? 'network_error' : undefined;
}

/** Telegram refuses an edit that changes nothing; for us that edit has already happened. */
export function ignoreNotModified(err: unknown): void {
  const e = err as { description?: string; message?: string; cause?: { description?: string } };
  const text = `${e.description ?? ''} ${e.message ?? ''} ${e.cause?.description ?? ''}`;
  if (!text.includes('message is not modified')) throw err;
}
