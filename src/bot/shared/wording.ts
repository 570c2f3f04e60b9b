// Words several features use for the same things: how long something took, an account's health,
// why a run failed (with the step that fixes it) and what a run did.
import type { Texts } from '../i18n/index.ts';
import { duration, number, type Units } from '../i18n/intl.ts';

const EN_UNITS: Units = { h: (v) => `${v}h`, m: (v) => `${v}m`, s: (v) => `${v}s` };

/** 4m 12s; 42s; 1h 05m — or, with Russian units, 4 мин 12 с. */
export function formatDuration(ms: number, units: Units = EN_UNITS): string {
  return duration(ms, units);
}

/** An account's health state in the reader's words (an unexpected state reads as "not checked yet"). */
export function formatHealth(t: Texts, health: string): string {
  return Object.hasOwn(t.health, health) ? t.health[health as keyof Texts['health']] : t.health.unknown;
}

/** The sentence for why a run failed, with the step that fixes it; never the code or the detail. */
export function formatReason(t: Texts, code: string | null, account: string): string {
  // Own keys only: a code such as "toString" or "__proto__" must not reach Object.prototype.
  const key = code !== null && Object.hasOwn(t.reasons, code) ? (code as keyof Texts['reasons']) : 'other';
  return t.reasons[key](account);
}

const COUNTER_ORDER = ['likes', 'follows', 'comments', 'searches', 'scrolls'] as const;

/** "watched 2 (2 s) · likes 1 · skimmed 12": what a run actually did, in a fixed order. */
export function formatCounters(t: Texts, counters: Record<string, unknown>): string {
  const n = (key: string) => (typeof counters[key] === 'number' ? (counters[key] as number) : 0);
  const parts = n('itemsViewed') > 0 ? [t.counters.watched(n('itemsViewed'), n('watchSeconds'))] : [];
  for (const key of COUNTER_ORDER) {
    if (n(key) > 0) parts.push(`${t.counters[key]} ${number(t.locale.lang, n(key))}`);
  }
  return parts.join(' · ');
}
