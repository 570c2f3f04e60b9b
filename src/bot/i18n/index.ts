// Picks the texts for a user: Russian for Telegram language "ru…", English otherwise.
import { en, type Texts } from './en.ts';
import { ru } from './ru.ts';

export type { Texts };
export type Lang = 'en' | 'ru';

export function langOf(languageCode: string | undefined | null): Lang {
  return languageCode?.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function textsFor(lang: Lang): Texts {
  return lang === 'ru' ? ru : en;
}
