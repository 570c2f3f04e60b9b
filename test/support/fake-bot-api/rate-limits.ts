// Telegram's flood limits as the fake enforces them: sliding windows over the sends and edits it
// accepted — per chat (1 s), per group (60 s) and overall (1 s). A call beyond them gets 429 with
// the seconds until the window frees up as retry_after.
import type { Params, RateLimits } from './types.ts';

const LIMITED_METHODS = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'editMessageText',
  'editMessageCaption',
  'editMessageReplyMarkup',
]);

export type RateLimiter = ReturnType<typeof createRateLimiter>;

export function createRateLimiter(limits: RateLimits) {
  const byChat = new Map<number, number[]>();
  let global: number[] = [];

  const chatOf = (method: string, params: Params): number | undefined =>
    LIMITED_METHODS.has(method) && typeof params.chat_id === 'number' ? params.chat_id : undefined;

  return {
    /** Seconds the caller must wait when this call would break a limit; undefined when it may go. */
    check(method: string, params: Params, at: number): number | undefined {
      if (!LIMITED_METHODS.has(method)) return undefined;
      const chatId = chatOf(method, params);
      const chatTimes = chatId === undefined ? [] : (byChat.get(chatId) ?? []);
      const waitMs = Math.max(
        waitFor(global, at, 1000, limits.globalPerSecond),
        waitFor(chatTimes, at, 1000, limits.perChatPerSecond),
        chatId !== undefined && chatId < 0 ? waitFor(chatTimes, at, 60_000, limits.perGroupPerMinute) : 0,
      );
      return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : undefined;
    },
    /** Counts a call that was accepted. */
    note(method: string, params: Params, at: number): void {
      if (!LIMITED_METHODS.has(method)) return;
      global = [...global.filter((t) => t > at - 1000), at];
      const chatId = chatOf(method, params);
      if (chatId === undefined) return;
      byChat.set(chatId, [...(byChat.get(chatId) ?? []).filter((t) => t > at - 60_000), at]);
    },
  };
}

/** Milliseconds until fewer than `max` of `times` fall in the window (at − windowMs, at]. */
function waitFor(times: number[], at: number, windowMs: number, max: number): number {
  const recent = times.filter((t) => t > at - windowMs);
  if (recent.length < max) return 0;
  return recent[recent.length - max]! + windowMs - at;
}
