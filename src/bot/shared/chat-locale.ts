// A chat's own way of speaking where no user's update says it: its timezone (/tz, else TIMEZONE)
// and, for messages nobody asked for just now (the daily summary), the language of whoever last
// changed the chat's settings (in a private chat: its user).

import { findChatSettings, lastChatSettingsActor } from '../../db/chat-settings-repo.ts';
import type { Db } from '../../db/client.ts';
import { findUser } from '../../db/users-repo.ts';
import { langOf, type Texts, textsFor } from '../i18n/index.ts';

/** The zone absolute times are shown in in this chat. */
export async function chatTimeZone(db: Db, chatId: number | undefined, fallback = 'UTC'): Promise<string> {
  if (chatId === undefined) return fallback;
  return (await findChatSettings(db, chatId))?.timeZone ?? fallback;
}

/** The texts a chat's unprompted messages speak, in `timeZone`. */
export async function chatTexts(db: Db, chatId: number, timeZone: string): Promise<Texts> {
  const actor = (await lastChatSettingsActor(db, chatId)) ?? chatId;
  const user = await findUser(db, actor);
  return textsFor(langOf(user?.language), timeZone);
}
