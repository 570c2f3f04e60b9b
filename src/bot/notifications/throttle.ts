// Decides when a message to a chat may go out so that Telegram has no reason to answer 429: a gap
// between sends to one chat, a rolling cap per group, a rolling cap overall, and pauses after a
// retry_after. Pure: the clock is injected; reserve() books a slot and says how long to wait.
// The slot arithmetic itself is in throttle-slots.ts.
import {
  type ChatState,
  earliestForChat,
  earliestGlobally,
  insertionPoint,
  moveSlot,
  type Windows,
} from './throttle-slots.ts';

export type ThrottleLimits = {
  /** Least time between two sends to one chat (Telegram: about one message per second). */
  chatIntervalMs: number;
  /** At most this many sends to one group (chat id < 0) in any groupWindowMs (Telegram: 20 a minute). */
  groupMaxPerWindow: number;
  groupWindowMs: number;
  /** At most this many sends overall in any globalWindowMs (Telegram: about 30 a second). */
  globalMaxPerWindow: number;
  globalWindowMs: number;
  /** Added to every gap and window: a booked slot reaches Telegram a little later than planned. */
  marginMs: number;
};

export const TELEGRAM_LIMITS: ThrottleLimits = {
  chatIntervalMs: 1000,
  groupMaxPerWindow: 20,
  groupWindowMs: 60_000,
  globalMaxPerWindow: 30,
  globalWindowMs: 1000,
  marginMs: 100,
};

export type Throttle = {
  /**
   * Books the earliest allowed slot for a send to this chat (no chat: a call that counts only
   * against the global cap, such as a callback answer); returns the ms to wait for it.
   */
  reserve(chatId: number | undefined): number;
  /** Like reserve(), and says which slot was booked (to hand to dispatched()). */
  book(chatId: number | undefined): { waitMs: number; slot: number };
  /**
   * The request of a booked slot is leaving now. When it leaves late (a busy event loop, a slow
   * database before it), its slot moves to now: the next send to that chat keeps its full gap
   * from the real send, not from the planned one.
   */
  dispatched(chatId: number | undefined, slot: number): void;
  /** After a 429: this chat (or, without a chat, everyone) sends nothing for `seconds`. */
  noteRetryAfter(chatId: number | undefined, seconds: number): void;
  /** Ms left of a retry_after pause on this chat or on everyone; a slot booked inside it is void. */
  pausedFor(chatId: number | undefined): number;
  /** Ms until this chat's earliest slot, without booking it. */
  peek(chatId: number): number;
};

export function createThrottle(
  options: { now?: () => number; limits?: Partial<ThrottleLimits> } = {},
): Throttle {
  const now = options.now ?? Date.now;
  const limits = { ...TELEGRAM_LIMITS, ...options.limits };
  const w: Windows = {
    chatGap: limits.chatIntervalMs + limits.marginMs,
    groupMax: limits.groupMaxPerWindow,
    groupWindow: limits.groupWindowMs + limits.marginMs,
    globalMax: limits.globalMaxPerWindow,
    globalWindow: limits.globalWindowMs + limits.marginMs,
  };
  const chats = new Map<number, ChatState>();
  let global: number[] = []; // booked slots of every chat, ascending
  let globalPausedUntil = 0;
  let lastSweep = 0;

  function stateOf(chatId: number): ChatState {
    let state = chats.get(chatId);
    if (!state) {
      state = { slots: [], pausedUntil: 0 };
      chats.set(chatId, state);
    }
    return state;
  }

  function forget(at: number): void {
    global = global.filter((slot) => slot > at - w.globalWindow);
    if (at - lastSweep < w.groupWindow) return;
    lastSweep = at;
    for (const [chatId, state] of chats) {
      state.slots = state.slots.filter((slot) => slot > at - w.groupWindow);
      if (state.slots.length === 0 && state.pausedUntil <= at) chats.delete(chatId);
    }
  }

  return {
    reserve(chatId) {
      return this.book(chatId).waitMs;
    },
    book(chatId) {
      const at = now();
      forget(at);
      const state = chatId === undefined ? undefined : stateOf(chatId);
      const own =
        chatId === undefined || !state
          ? Math.max(at, globalPausedUntil)
          : earliestForChat(chatId, state, at, globalPausedUntil, w);
      const slot = earliestGlobally(global, own, w);
      state?.slots.push(slot);
      global.splice(insertionPoint(global, slot), 0, slot);
      return { waitMs: slot - at, slot };
    },
    dispatched(chatId, slot) {
      const at = now();
      if (at <= slot) return;
      const state = chatId === undefined ? undefined : chats.get(chatId);
      if (state) moveSlot(state.slots, state.slots.lastIndexOf(slot), at);
      moveSlot(global, global.indexOf(slot), at);
    },
    noteRetryAfter(chatId, seconds) {
      const until = now() + Math.max(0, seconds) * 1000 + limits.marginMs;
      if (chatId === undefined) globalPausedUntil = Math.max(globalPausedUntil, until);
      else stateOf(chatId).pausedUntil = Math.max(stateOf(chatId).pausedUntil, until);
    },
    peek(chatId) {
      const at = now();
      forget(at);
      const state = chats.get(chatId) ?? { slots: [], pausedUntil: 0 };
      return earliestGlobally(global, earliestForChat(chatId, state, at, globalPausedUntil, w), w) - at;
    },
    pausedFor(chatId) {
      const at = now();
      const chat = chatId === undefined ? undefined : chats.get(chatId);
      return Math.max(0, (chat?.pausedUntil ?? 0) - at, globalPausedUntil - at);
    },
  };
}
