// Decides when a message to a chat may go out so that Telegram has no reason to answer 429: a gap
// between sends to one chat, a rolling cap per group, a rolling cap overall, and pauses after a
// retry_after. Pure: the clock is injected; reserve() books a slot and says how long to wait.

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

type ChatState = { slots: number[]; pausedUntil: number };

export function createThrottle(
  options: { now?: () => number; limits?: Partial<ThrottleLimits> } = {},
): Throttle {
  const now = options.now ?? Date.now;
  const limits = { ...TELEGRAM_LIMITS, ...options.limits };
  const chatGap = limits.chatIntervalMs + limits.marginMs;
  const groupWindow = limits.groupWindowMs + limits.marginMs;
  const globalWindow = limits.globalWindowMs + limits.marginMs;
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
    global = global.filter((slot) => slot > at - globalWindow);
    if (at - lastSweep < groupWindow) return;
    lastSweep = at;
    for (const [chatId, state] of chats) {
      state.slots = state.slots.filter((slot) => slot > at - groupWindow);
      if (state.slots.length === 0 && state.pausedUntil <= at) chats.delete(chatId);
    }
  }

  /** The chat's own bounds; each only moves later, and every slot it already holds is earlier. */
  function earliestForChat(chatId: number, state: ChatState, at: number): number {
    let slot = Math.max(at, state.pausedUntil, globalPausedUntil);
    const last = state.slots.at(-1);
    if (last !== undefined) slot = Math.max(slot, last + chatGap);
    const max = limits.groupMaxPerWindow;
    if (chatId < 0 && state.slots.length >= max) slot = Math.max(slot, state.slots.at(-max)! + groupWindow);
    return slot;
  }

  /**
   * Whether a slot at `t` keeps every window of the global cap: with `t` among the booked slots, no
   * run of max+1 consecutive slots may span less than the window. Slots of other chats can lie in
   * the future, so checking only the window that ends at `t` is not enough.
   */
  function fitsGlobally(t: number): boolean {
    const max = limits.globalMaxPerWindow;
    const position = insertionPoint(global, t);
    const withT = (i: number): number => (i < position ? global[i]! : i === position ? t : global[i - 1]!);
    for (
      let start = Math.max(0, position - max);
      start <= position && start + max <= global.length;
      start++
    ) {
      if (withT(start + max) - withT(start) < globalWindow) return false;
    }
    return true;
  }

  /** The earliest fitting slot is `from` itself or the moment some booked slot leaves its window. */
  function earliestGlobally(from: number): number {
    if (fitsGlobally(from)) return from;
    for (const slot of global) {
      const candidate = slot + globalWindow;
      if (candidate > from && fitsGlobally(candidate)) return candidate;
    }
    return Math.max(from, (global.at(-1) ?? from) + globalWindow);
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
        chatId === undefined || !state ? Math.max(at, globalPausedUntil) : earliestForChat(chatId, state, at);
      const slot = earliestGlobally(own);
      state?.slots.push(slot);
      global.splice(insertionPoint(global, slot), 0, slot);
      return { waitMs: slot - at, slot };
    },
    dispatched(chatId, slot) {
      const at = now();
      if (at <= slot) return;
      const state = chatId === undefined ? undefined : chats.get(chatId);
      const own = state?.slots.lastIndexOf(slot) ?? -1;
      if (state && own >= 0) {
        state.slots.splice(own, 1);
        state.slots.splice(insertionPoint(state.slots, at), 0, at);
      }
      const shared = global.indexOf(slot);
      if (shared >= 0) {
        global.splice(shared, 1);
        global.splice(insertionPoint(global, at), 0, at);
      }
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
      return earliestGlobally(earliestForChat(chatId, state, at)) - at;
    },
    pausedFor(chatId) {
      const at = now();
      const chat = chatId === undefined ? undefined : chats.get(chatId);
      return Math.max(0, (chat?.pausedUntil ?? 0) - at, globalPausedUntil - at);
    },
  };
}

/** Index of the first element of ascending `values` greater than `value` (binary search). */
function insertionPoint(values: number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! > value) high = middle;
    else low = middle + 1;
  }
  return low;
}
