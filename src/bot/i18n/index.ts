// Picks the texts for a user: Russian for Telegram language "ru…", English otherwise, speaking
// of absolute times in the team's timezone (TIMEZONE).
import { en, type Texts } from './en.ts';
import type { Lang } from './intl.ts';
import { ru } from './ru.ts';

export type { Lang, Texts };

export function langOf(languageCode: string | undefined | null): Lang {
  return languageCode?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

const zoned = new Map<string, Texts>();

/** The texts of `lang`, with times shown in `timeZone` (an IANA name checked by the config). */
export function textsFor(lang: Lang, timeZone = 'UTC'): Texts {
  const base = lang === 'ru' ? ru : en;
  if (timeZone === base.locale.timeZone) return base;
  const key = `${lang}|${timeZone}`;
  let texts = zoned.get(key);
  if (!texts) {
    texts = { ...base, locale: { lang, timeZone } };
    zoned.set(key, texts);
  }
  return texts;
}
