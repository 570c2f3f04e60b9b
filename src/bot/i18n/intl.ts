// Locale rules the texts lean on: plural forms (Intl.PluralRules), numbers (Intl.NumberFormat),
// durations in the language's units, absolute times (Intl.DateTimeFormat) in the team's timezone
// with the zone shown, and relative times (Intl.RelativeTimeFormat). No message formats its own.

export type Lang = 'en' | 'ru';
/** The language and timezone one set of texts speaks in. */
export type Locale = { lang: Lang; timeZone: string };
export type PluralForms = { one: string; other: string; few?: string; many?: string };
/** Unit words around a number given as text (minutes and seconds may arrive zero-padded). */
export type Units = { h: (n: string) => string; m: (n: string) => string; s: (n: string) => string };

const rules = new Map<Lang, Intl.PluralRules>();
const numbers = new Map<Lang, Intl.NumberFormat>();

/** 12,345 / 12 345; 1.5 / 1,5 — a count or a measure as the language writes it. */
export function number(lang: Lang, n: number): string {
  let f = numbers.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    numbers.set(lang, f);
  }
  return f.format(n);
}

/** The form of `forms` that `n` takes in `lang`: ru 1 аккаунт, 2 аккаунта, 5 аккаунтов, 21 аккаунт. */
export function plural(lang: Lang, n: number, forms: PluralForms): string {
  let r = rules.get(lang);
  if (!r) {
    r = new Intl.PluralRules(lang);
    rules.set(lang, r);
  }
  const category = r.select(n);
  const form = (category === 'few' && forms.few) || (category === 'many' && forms.many) || undefined;
  return (form ?? (category === 'one' ? forms.one : forms.other)).replaceAll('#', number(lang, n));
}

/** 4m 12s / 4 мин 12 с; 42s; 1h 05m. */
export function duration(ms: number, units: Units): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${units.h(String(h))} ${units.m(pad(m))}`;
  if (m > 0) return `${units.m(String(m))} ${units.s(String(s))}`;
  return units.s(String(s));
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

// English in the British order with the month as a word: 1 Dec 2026 reads the same to everyone,
// where 12/01/2026 is the 12th of January to half the team.
const DATE_PARTS: Record<Lang, { tag: string; month: '2-digit' | 'short'; day: '2-digit' | 'numeric' }> = {
  en: { tag: 'en-GB', month: 'short', day: 'numeric' },
  ru: { tag: 'ru', month: '2-digit', day: '2-digit' },
};

/** 01.12.2026, 12:58 GMT+3 / 1 Dec 2026, 09:58 UTC: the date and minute in the locale's zone. */
export function dateTime(locale: Locale, at: Date): string {
  const key = `${locale.lang}|${locale.timeZone}`;
  let f = dateFormats.get(key);
  if (!f) {
    const parts = DATE_PARTS[locale.lang];
    f = new Intl.DateTimeFormat(parts.tag, {
      timeZone: locale.timeZone,
      year: 'numeric',
      month: parts.month,
      day: parts.day,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    dateFormats.set(key, f);
  }
  return f.format(at);
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const relatives = new Map<Lang, Intl.RelativeTimeFormat>();

/**
 * "5 мин. назад" / "5 min. ago", "3 ч назад" / "3 hr. ago", "3 дн. назад" / "3 days ago";
 * "сейчас" / "now" within the minute. Undefined beyond a month, or in the future (a clock skew).
 */
export function relative(locale: Locale, at: Date, now: Date): string | undefined {
  const past = now.getTime() - at.getTime();
  if (past < -60_000 || past >= 30 * DAY_MS) return undefined;
  let rtf = relatives.get(locale.lang);
  if (!rtf) {
    rtf = new Intl.RelativeTimeFormat(locale.lang, { numeric: 'auto', style: 'short' });
    relatives.set(locale.lang, rtf);
  }
  if (past < 60_000) return rtf.format(0, 'second');
  if (past < HOUR_MS) return rtf.format(-Math.floor(past / 60_000), 'minute');
  if (past < DAY_MS) return rtf.format(-Math.floor(past / HOUR_MS), 'hour');
  return rtf.format(-Math.floor(past / DAY_MS), 'day');
}

/** relative(), or the date and time where a relative one would not read well. */
export function ago(locale: Locale, at: Date, now: Date): string {
  return relative(locale, at, now) ?? dateTime(locale, at);
}

/** dateTime with how long ago beside it while that reads well: "1 Dec 2026, 10:00 UTC (5 min. ago)". */
export function dateTimeAgo(locale: Locale, at: Date, now: Date): string {
  const rel = relative(locale, at, now);
  return rel ? `${dateTime(locale, at)} (${rel})` : dateTime(locale, at);
}

/** "5 мин. назад" / "5 min. ago" within the last day (what reads better on a phone), else dateTime. */
export function sinceOrDateTime(locale: Locale, at: Date, now: Date): string {
  const past = now.getTime() - at.getTime();
  if (past < 0 || past >= DAY_MS) return dateTime(locale, at);
  return ago(locale, at, now);
}
