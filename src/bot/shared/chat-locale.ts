// A chat's own way of speaking where no user's update says it: its timezone (/tz, else TIMEZONE)
// and, for messages nobody asked for just now (the daily summary), the language stored with its
// settings — of whoever last talked to the bot in it or changed its settings.

import {
  digestChatsWithoutLanguage,
  findChatSettings,
  lastChatSettingsActor,
  setChatLanguage,
} from '../../db/chat-settings-repo.ts';
import type { Db } from '../../db/client.ts';
import { findUser } from '../../db/users-repo.ts';
import { type Lang, langOf, type Texts, textsFor } from '../i18n/index.ts';

/** The zone absolute times are shown in in this chat. */
export async function chatTimeZone(db: Db, chatId: number | undefined, fallback = 'UTC'): Promise<string> {
  if (chatId === undefined) return fallback;
  return (await findChatSettings(db, chatId))?.timeZone ?? fallback;
}

/**
 * Someone speaking `lang` talks to the bot in this chat: the chat's stored language becomes theirs
 * (written only when it changes, and only for a chat with settings). Returns the chat's timezone.
 */
export async function touchChatLocale(
  db: Db,
  chatId: number | undefined,
  lang: Lang,
  fallback = 'UTC',
): Promise<string> {
  if (chatId === undefined) return fallback;
  const settings = await findChatSettings(db, chatId);
  if (settings && settings.language !== lang) await setChatLanguage(db, chatId, lang);
  return settings?.timeZone ?? fallback;
}

/** The texts a chat's unprompted messages speak: its stored language, in `timeZone`. */
export function chatTexts(settings: { language: string | null }, timeZone: string): Texts {
  return textsFor(langOf(settings.language), timeZone);
}

/**
 * Chats with a daily summary whose settings were stored before their language was: given the
 * language of whoever last changed them (in a private chat: its user), once. Idempotent; returns
 * how many were filled.
 */
export async function backfillChatLanguages(db: Db): Promise<number> {
  const chats = await digestChatsWithoutLanguage(db);
  for (const chatId of chats) {
    const actor = (await lastChatSettingsActor(db, chatId)) ?? chatId;
    await setChatLanguage(db, chatId, langOf((await findUser(db, actor))?.language));
  }
  return chats.length;
}
