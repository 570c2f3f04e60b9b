// The delivery throttle on an injected clock: spacing per chat, rolling caps per group and overall,
// retry_after pauses — each schedule checked against Telegram's limits by an independent counter.
import { describe, expect, it } from 'vitest';
import { createThrottle, type ThrottleLimits } from '../../../src/bot/notifications/throttle.ts';

const START = 1_700_000_000_000;

function setup(limits?: Partial<ThrottleLimits>) {
  let time = START;
  const throttle = createThrottle({ now: () => time, ...(limits ? { limits } : {}) });
  return {
    throttle,
    advance: (ms: number) => {
      time += ms;
    },
    /** Books a send and returns its absolute slot time. */
    book: (chatId: number) => time + throttle.reserve(chatId),
  };
}

/** The most slots that fall in any window (t − windowMs, t], the way Telegram counts. */
function maxInWindow(slots: number[], windowMs: number): number {
  const sorted = [...slots].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[first]! <= sorted[last]! - windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const gaps = (slots: number[]) => slots.slice(1).map((slot, i) => slot - slots[i]!);

describe('one chat', () => {
  it('keeps the full gap after a send that left late, and counts it once overall', () => {
    const { throttle, advance } = setup();
    const { slot } = throttle.book(1);
    advance(700); // the request left 700 ms after its slot
    throttle.dispatched(1, slot);
    expect(throttle.reserve(1)).toBe(1100);
    // A callback answer (no chat) takes only a global slot, right away.
    expect(throttle.reserve(undefined)).toBe(0);
  });

  it('sends the first message at once and spaces the next by the interval plus margin', () => {
    const { throttle } = setup();
    expect([throttle.reserve(1), throttle.reserve(1), throttle.reserve(1)]).toEqual([0, 1100, 2200]);
  });

  it('does not hold other chats back and forgets the gap once it has passed', () => {
    const { throttle, advance } = setup();
    throttle.reserve(1);
    throttle.reserve(1);
    expect(throttle.reserve(2)).toBe(0);
    advance(5_000);
    expect(throttle.reserve(1)).toBe(0);
  });
});

describe('groups', () => {
  it('keeps 50 sends booked at once to at most 20 in any minute and 1 a second', () => {
    const { book } = setup();
    const slots = Array.from({ length: 50 }, () => book(-100));
    expect(maxInWindow(slots, 60_000)).toBe(20);
    expect(Math.min(...gaps(slots))).toBeGreaterThanOrEqual(1000);
    expect(slots[19]! - START).toBe(19 * 1100); // the first 20 go as fast as the per-chat gap allows
    expect(slots[20]! - slots[0]!).toBe(60_100); // the 21st waits for the first to leave the window
    expect(slots[49]! - START).toBeLessThan(3 * 60_100);
  });

  it('keeps 50 sends that arrive over time within the limits', () => {
    const { book, advance } = setup();
    const slots: number[] = [];
    for (let i = 0; i < 50; i++) {
      advance(i % 7 === 0 ? 9_000 : 400);
      slots.push(book(-100));
    }
    expect(maxInWindow(slots, 60_000)).toBeLessThanOrEqual(20);
    expect(Math.min(...gaps(slots))).toBeGreaterThanOrEqual(1000);
  });

  it('treats only negative chat ids as groups', () => {
    const { book } = setup();
    const slots = Array.from({ length: 30 }, () => book(100));
    expect(maxInWindow(slots, 60_000)).toBe(30);
  });
});

describe('retry_after', () => {
  it('pushes that chat’s next slot out by at least retry_after', () => {
    const { throttle, advance } = setup();
    expect(throttle.reserve(1)).toBe(0);
    throttle.noteRetryAfter(1, 3);
    expect(throttle.pausedFor(1)).toBe(3_100);
    expect(throttle.reserve(1)).toBeGreaterThanOrEqual(3_000);
    expect(throttle.reserve(2)).toBe(0);
    expect(throttle.pausedFor(2)).toBe(0);
    advance(3_100);
    expect(throttle.pausedFor(1)).toBe(0);
  });

  it('never shortens a pause or a later slot', () => {
    const { throttle } = setup();
    throttle.noteRetryAfter(1, 10);
    throttle.noteRetryAfter(1, 2);
    expect(throttle.reserve(1)).toBe(10_100);
    expect(throttle.reserve(1)).toBe(11_200);
  });

  it('pauses every chat after a 429 without a chat', () => {
    const { throttle } = setup();
    throttle.noteRetryAfter(undefined, 2);
    expect(throttle.pausedFor(7)).toBe(2_100);
    expect(throttle.reserve(7)).toBeGreaterThanOrEqual(2_000);
    expect(throttle.reserve(-8)).toBeGreaterThanOrEqual(2_000);
  });
});

describe('global cap', () => {
  it('sends to 100 chats at once in bursts of 30 per window', () => {
    const { book } = setup();
    const slots = Array.from({ length: 100 }, (_, i) => book(i + 1));
    expect(maxInWindow(slots, 1000)).toBe(30);
    expect(slots.filter((slot) => slot === START)).toHaveLength(30);
    expect(Math.max(...slots) - START).toBe(3 * 1100);
  });

  it('fits a send between slots other chats booked in the future', () => {
    const { throttle, book } = setup({ globalMaxPerWindow: 2, marginMs: 0 });
    const a = [book(1), book(1), book(1)]; // 0, 1000, 2000
    expect(a.map((slot) => slot - START)).toEqual([0, 1000, 2000]);
    const b = book(2);
    expect(b - START).toBe(0);
    // The window at 0 is full (a and b); 1000 holds one of chat 1's slots and has room for one more.
    const c = book(3);
    expect(c - START).toBe(1000);
    expect(maxInWindow([...a, b, c], 1000)).toBe(2);
    expect(throttle.reserve(4)).toBe(2000);
  });
});

it('is configurable', () => {
  const { throttle } = setup({ chatIntervalMs: 0, marginMs: 0, groupMaxPerWindow: 2, groupWindowMs: 10_000 });
  expect([throttle.reserve(-1), throttle.reserve(-1), throttle.reserve(-1)]).toEqual([0, 0, 10_000]);
});

it('never breaks a limit under a random mix of chats, arrivals and 429s', () => {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const { throttle, advance, book } = setup();
  const chats = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? -(i + 1) : i + 1));
  const byChat = new Map<number, number[]>();
  const all: number[] = [];
  const pausedUntil = new Map<number, number>();
  let time = START;
  for (let i = 0; i < 3_000; i++) {
    const step = Math.floor(random() * 60);
    advance(step);
    time += step;
    const chat = chats[Math.floor(random() * chats.length)]!;
    if (random() < 0.01) {
      throttle.noteRetryAfter(chat, 2);
      pausedUntil.set(chat, time + 2_000);
    }
    const slot = book(chat);
    expect(slot).toBeGreaterThanOrEqual(Math.max(time, pausedUntil.get(chat) ?? 0));
    byChat.set(chat, [...(byChat.get(chat) ?? []), slot]);
    all.push(slot);
  }
  expect(maxInWindow(all, 1000)).toBeLessThanOrEqual(30);
  for (const [chat, slots] of byChat) {
    expect(Math.min(...gaps(slots))).toBeGreaterThanOrEqual(1000);
    if (chat < 0) expect(maxInWindow(slots, 60_000)).toBeLessThanOrEqual(20);
  }
});
