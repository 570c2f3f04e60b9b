// Abort plumbing for the warmup: race any promise against an AbortSignal, sleep abortably, and
// wait a bounded time for clean-ups (closing a page or a context must never hang a run).
import { setTimeout as delay } from 'node:timers/promises';

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('The run was aborted', 'AbortError');
}

/** Settles like `promise`, or rejects as soon as the signal fires (the promise is left to settle alone). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) {
    signal.throwIfAborted();
    return;
  }
  try {
    await delay(ms, undefined, { signal });
  } catch {
    throw abortReason(signal);
  }
}

/** True when the promise settled (either way) within ms; never throws. */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls check() every intervalMs until it returns a value other than null, or null after timeoutMs. */
export async function poll<T>(
  check: () => Promise<T | null>,
  options: { timeoutMs: number; intervalMs?: number; signal: AbortSignal },
): Promise<T | null> {
  const until = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await abortable(check(), options.signal);
    if (value !== null) return value;
    if (Date.now() >= until) return null;
    await sleep(options.intervalMs ?? 150, options.signal);
  }
}

/** Awaits something that must be closed (a page, a context), closing it if it arrives after an abort. */
export function openAbortable<T extends { close(): Promise<unknown> }>(
  opening: Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  opening.then(
    (thing) => {
      if (signal.aborted) thing.close().catch(() => {});
    },
    () => {},
  );
  return abortable(opening, signal);
}
