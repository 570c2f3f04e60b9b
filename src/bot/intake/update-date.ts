// Telegram's own date of an update — when the message was sent, edited, the member changed… — which
// is what the inbox's age limit counts from. A tap (callback_query) and a few other kinds carry none.
import type { Update } from 'telegraf/types';

/** Kinds whose payload has a `date` of its own (seconds since the epoch). */
const DATED = [
  'message',
  'channel_post',
  'business_message',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'message_reaction',
  'message_reaction_count',
] as const;
const EDITED = ['edited_message', 'edited_channel_post', 'edited_business_message'] as const;

type Dated = { date?: unknown; edit_date?: unknown };

/** When Telegram says the update happened; null when it does not say. */
export function sentAtOf(update: Update | { update_id: number }): Date | null {
  const fields = update as Record<string, Dated | undefined>;
  for (const kind of EDITED) {
    const edited = fields[kind];
    if (edited) return seconds(edited.edit_date) ?? seconds(edited.date);
  }
  for (const kind of DATED) {
    const payload = fields[kind];
    if (payload) return seconds(payload.date);
  }
  return null;
}

function seconds(value: unknown): Date | null {
  return typeof value === 'number' && value > 0 ? new Date(value * 1000) : null;
}
