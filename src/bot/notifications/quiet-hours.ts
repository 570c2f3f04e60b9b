// Quiet hours (/quiet 23:00-08:00): an event recorded while its chat is inside its window is held
// until the window ends (in the chat's zone, DST-safe), then delivered with whatever else waited —
// the notifier folds several finals into one digest, and a start or progress of a task that has
// ended by then is settled stale, unsent. A failure that pauses an account (captcha, blocked,
// logged out) still comes at once unless the chat said urgent=off.

import { findChatSettings } from '../../db/chat-settings-repo.ts';
import type { Db } from '../../db/client.ts';
import type { TaskEvent } from '../../tasks/events.ts';
import { quietWindowEnd } from '../../tasks/local-time.ts';
import { quarantines } from '../../warmup/failure-reasons.ts';

/** A failure that quarantines an account: a person should hear of it even at night. */
export function isUrgent(event: TaskEvent): boolean {
  return event.type === 'failed' && event.failures.some((f) => f.code !== null && quarantines(f.code));
}

/** Until when this event waits (the end of its chat's quiet window), or null: deliver now. */
export async function quietUntil(
  db: Db,
  event: TaskEvent,
  now: Date,
  fallbackZone = 'UTC',
): Promise<Date | null> {
  if (event.chatId === null) return null;
  const settings = await findChatSettings(db, event.chatId);
  if (!settings || settings.quietFrom === null || settings.quietUntil === null) return null;
  if (settings.quietUrgent && isUrgent(event)) return null;
  const zone = settings.timeZone ?? fallbackZone;
  return quietWindowEnd(now, zone, settings.quietFrom, settings.quietUntil) ?? null;
}
