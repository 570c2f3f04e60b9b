// Per-chat preferences (/tz, /quiet, /digest): read, change one setting at a time (a chat without
// a row has the defaults), and claim a day's summary once — a conditional UPDATE, so two bot
// processes ticking at the same minute send it once.
import { and, desc, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { auditLog, type ChatSettingsRow, chatSettings } from './schema.ts';

export type ChatSettings = Pick<
  ChatSettingsRow,
  'chatId' | 'timeZone' | 'quietFrom' | 'quietUntil' | 'quietUrgent' | 'digestAt' | 'digestSentOn'
>;

const settingsColumns = {
  chatId: chatSettings.chatId,
  timeZone: chatSettings.timeZone,
  quietFrom: chatSettings.quietFrom,
  quietUntil: chatSettings.quietUntil,
  quietUrgent: chatSettings.quietUrgent,
  digestAt: chatSettings.digestAt,
  digestSentOn: chatSettings.digestSentOn,
} satisfies Record<keyof ChatSettings, unknown>;

export async function findChatSettings(exec: Executor, chatId: number): Promise<ChatSettings | undefined> {
  const [row] = await exec
    .select(settingsColumns)
    .from(chatSettings)
    .where(sql`${chatSettings.chatId} = ${chatId}`);
  return row;
}

type Change = Partial<Omit<ChatSettings, 'chatId'>>;

/** Sets these settings of the chat, creating its row when it has none. */
export async function updateChatSettings(exec: Executor, chatId: number, change: Change): Promise<void> {
  await exec
    .insert(chatSettings)
    .values({ chatId, ...change })
    .onConflictDoUpdate({ target: chatSettings.chatId, set: { ...change, updatedAt: sql`now()` } });
}

/** Every chat that asked for a daily summary. */
export async function chatsWithDigest(exec: Executor): Promise<ChatSettings[]> {
  return exec.select(settingsColumns).from(chatSettings).where(isNotNull(chatSettings.digestAt));
}

/** Claims the chat's summary of local day `today`; false when it was claimed already (or switched off). */
export async function claimDigest(exec: Executor, chatId: number, today: string): Promise<boolean> {
  const rows = await exec
    .update(chatSettings)
    .set({ digestSentOn: today, updatedAt: sql`now()` })
    .where(
      and(
        sql`${chatSettings.chatId} = ${chatId}`,
        isNotNull(chatSettings.digestAt),
        sql`${chatSettings.digestSentOn} is distinct from ${today}::date`,
      ),
    )
    .returning({ chatId: chatSettings.chatId });
  return rows.length > 0;
}

/** Gives back a claim whose summary could not be sent, so a later tick tries again. */
export async function releaseDigest(
  exec: Executor,
  chatId: number,
  today: string,
  before: string | null,
): Promise<void> {
  await exec
    .update(chatSettings)
    .set({ digestSentOn: before })
    .where(and(sql`${chatSettings.chatId} = ${chatId}`, sql`${chatSettings.digestSentOn} = ${today}::date`));
}

/** Who last changed this chat's settings (their language is the summary's). */
export async function lastChatSettingsActor(exec: Executor, chatId: number): Promise<number | undefined> {
  const [row] = await exec
    .select({ actorId: auditLog.actorId })
    .from(auditLog)
    .where(
      and(
        sql`${auditLog.action} like 'chat.settings.%'`,
        sql`${auditLog.details}->>'chatId' = ${String(chatId)}`,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row?.actorId ?? undefined;
}
