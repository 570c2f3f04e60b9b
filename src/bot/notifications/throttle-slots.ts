// The throttle's slot arithmetic, pure: where the next send may go given the slots already booked
// — a chat's own gap, pauses and group cap, and the global cap over every chat's booked slots
// (kept ascending). Times are ms on the throttle's clock; every window already includes the margin.

export type ChatState = { slots: number[]; pausedUntil: number };

export type Windows = {
  chatGap: number;
  groupMax: number;
  groupWindow: number;
  globalMax: number;
  globalWindow: number;
};

/** The chat's own bounds; each only moves later, and every slot it already holds is earlier. */
export function earliestForChat(
  chatId: number,
  state: ChatState,
  at: number,
  globalPausedUntil: number,
  w: Windows,
): number {
  let slot = Math.max(at, state.pausedUntil, globalPausedUntil);
  const last = state.slots.at(-1);
  if (last !== undefined) slot = Math.max(slot, last + w.chatGap);
  const max = w.groupMax;
  if (chatId < 0 && state.slots.length >= max) slot = Math.max(slot, state.slots.at(-max)! + w.groupWindow);
  return slot;
}

/**
 * Whether a slot at `t` keeps every window of the global cap: with `t` among the booked slots, no
 * run of max+1 consecutive slots may span less than the window. Slots of other chats can lie in
 * the future, so checking only the window that ends at `t` is not enough.
 */
function fitsGlobally(global: number[], t: number, w: Windows): boolean {
  const max = w.globalMax;
  const position = insertionPoint(global, t);
  const withT = (i: number): number => (i < position ? global[i]! : i === position ? t : global[i - 1]!);
  for (let start = Math.max(0, position - max); start <= position && start + max <= global.length; start++) {
    if (withT(start + max) - withT(start) < w.globalWindow) return false;
  }
  return true;
}

/** The earliest fitting slot is `from` itself or the moment some booked slot leaves its window. */
export function earliestGlobally(global: number[], from: number, w: Windows): number {
  if (fitsGlobally(global, from, w)) return from;
  for (const slot of global) {
    const candidate = slot + w.globalWindow;
    if (candidate > from && fitsGlobally(global, candidate, w)) return candidate;
  }
  return Math.max(from, (global.at(-1) ?? from) + w.globalWindow);
}

/** Moves one booked slot (found by `index`) to `to`, keeping `slots` ascending; no-op when index < 0. */
export function moveSlot(slots: number[], index: number, to: number): void {
  if (index < 0) return;
  slots.splice(index, 1);
  slots.splice(insertionPoint(slots, to), 0, to);
}

/** Index of the first element of ascending `values` greater than `value` (binary search). */
export function insertionPoint(values: number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! > value) high = middle;
    else low = middle + 1;
  }
  return low;
}
