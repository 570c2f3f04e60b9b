// Locale rules the texts lean on: plural forms (Intl.PluralRules), durations in the language's
// units, absolute times (Intl.DateTimeFormat) in the team's timezone with the zone shown.

export type Lang = 'en' | 'ru';
/** The language and timezone one set of texts speaks in. */
export type Locale = { lang: Lang; timeZone: string };
export type PluralForms = { one: string; other: string; few?: string; many?: string };
/** Unit words around a number given as text (minutes and seconds may arrive zero-padded). */
export type Units = { h: (n: string) => string; m: (n: string) => string; s: (n: string) => string };

const rules = new Map<Lang, Intl.PluralRules>();

/** The form of `forms` that `n` takes in `lang`: ru 1 аккаунт, 2 аккаунта, 5 аккаунтов, 21 аккаунт. */
export function plural(lang: Lang, n: number, forms: PluralForms): string {
  let r = rules.get(lang);
  if (!r) {
    r = new Intl.PluralRules(lang);
    rules.set(lang, r);
  }
  const category = r.select(n);
  const form = (category === 'few' && forms.few) || (category === 'many' && forms.many) || undefined;
  return (form ?? (category === 'one' ? forms.one : forms.other)).replaceAll('#', String(n));
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

/** 01.12.2026, 12:58 GMT+3 / 12/01/2026, 09:58 UTC: the date and minute in the locale's zone. */
export function dateTime(locale: Locale, at: Date): string {
  const key = `${locale.lang}|${locale.timeZone}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale.lang, {
      timeZone: locale.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
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

/** "5 мин. назад" / "5 min. ago" within the last day (what reads better on a phone), else dateTime. */
export function sinceOrDateTime(locale: Locale, at: Date, now: Date): string {
  const ago = now.getTime() - at.getTime();
  if (ago < 0 || ago >= 24 * HOUR_MS) return dateTime(locale, at);
  const rtf = new Intl.RelativeTimeFormat(locale.lang, { numeric: 'auto', style: 'short' });
  return ago < HOUR_MS
    ? rtf.format(-Math.floor(ago / 60_000), 'minute')
    : rtf.format(-Math.floor(ago / HOUR_MS), 'hour');
}
