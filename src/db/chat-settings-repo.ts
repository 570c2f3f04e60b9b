// Per-chat preferences (/tz, /quiet, /digest) and the chat's language: read, change one setting at
// a time (a chat without a row has the defaults), and claim a day's summary once — a conditional
// UPDATE, so two bot processes ticking at the same minute send it once — or once more at its
// retry time, recording what of it was delivered.
import { and, desc, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { auditLog, type ChatSettingsRow, chatSettings } from './schema.ts';

export type ChatSettings = Pick<
  ChatSettingsRow,
  | 'chatId'
  | 'timeZone'
  | 'quietFrom'
  | 'quietUntil'
  | 'quietUrgent'
  | 'digestAt'
  | 'digestSentOn'
  | 'digestRetryAt'
  | 'language'
>;

const settingsColumns = {
  chatId: chatSettings.chatId,
  timeZone: chatSettings.timeZone,
  quietFrom: chatSettings.quietFrom,
  quietUntil: chatSettings.quietUntil,
  quietUrgent: chatSettings.quietUrgent,
  digestAt: chatSettings.digestAt,
  digestSentOn: chatSettings.digestSentOn,
  digestRetryAt: chatSettings.digestRetryAt,
  language: chatSettings.language,
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

/** Sets the chat's language where it has settings and the language changed; a chat without a row stays without. */
export async function setChatLanguage(exec: Executor, chatId: number, language: string): Promise<void> {
  await exec
    .update(chatSettings)
    .set({ language })
    .where(
      and(
        sql`${chatSettings.chatId} = ${chatId}`,
        sql`${chatSettings.language} is distinct from ${language}`,
      ),
    );
}

export type DigestClaim = {
  /** Attempts at this day's summary, this one included. */
  tries: number;
  /** This day's chart already went out (an earlier attempt): only the words are left to send. */
  chartSent: boolean;
};

/**
 * Claims the chat's summary of local day `today`: the first time that day, or again once its retry
 * time `at` has come while fewer than `maxTries` were made. The claim holds until `holdUntil` (a
 * process that dies while sending is followed by another then). Undefined when it is not due,
 * claimed already (another process, another tick), given up, or switched off.
 */
export async function claimDigest(
  exec: Executor,
  chatId: number,
  claim: { today: string; at: Date; holdUntil: Date; maxTries: number },
): Promise<DigestClaim | undefined> {
  const { today } = claim;
  const [row] = await exec
    .update(chatSettings)
    .set({
      digestSentOn: today,
      // Computed from the row as it was: a new day starts counting again.
      digestTries: sql`case when ${chatSettings.digestSentOn} = ${today}::date then ${chatSettings.digestTries} + 1 else 1 end`,
      digestRetryAt: claim.holdUntil,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        sql`${chatSettings.chatId} = ${chatId}`,
        isNotNull(chatSettings.digestAt),
        sql`(${chatSettings.digestSentOn} is distinct from ${today}::date or (${chatSettings.digestRetryAt} <= ${claim.at.toISOString()}::timestamptz and ${chatSettings.digestTries} < ${claim.maxTries}))`,
      ),
    )
    .returning({ tries: chatSettings.digestTries, chartOn: chatSettings.digestChartOn });
  return row && { tries: row.tries, chartSent: row.chartOn === today };
}

/**
 * Settles the attempt at day `today`'s summary: tried again at `retryAt`, or never again that day
 * (null: sent, or given up) — if that day's claim is still the chat's.
 */
export async function settleDigest(
  exec: Executor,
  chatId: number,
  today: string,
  retryAt: Date | null,
): Promise<void> {
  await exec
    .update(chatSettings)
    .set({ digestRetryAt: retryAt })
    .where(and(sql`${chatSettings.chatId} = ${chatId}`, sql`${chatSettings.digestSentOn} = ${today}::date`));
}

/** The chart of the day's summary went out: a retry must not send it again. */
export async function markDigestChartSent(exec: Executor, chatId: number, today: string): Promise<void> {
  await exec
    .update(chatSettings)
    .set({ digestChartOn: today })
    .where(sql`${chatSettings.chatId} = ${chatId}`);
}

/** Chats with a daily summary whose language was never stored (rows from before it was). */
export async function digestChatsWithoutLanguage(exec: Executor): Promise<number[]> {
  const rows = await exec
    .select({ chatId: chatSettings.chatId })
    .from(chatSettings)
    .where(and(isNotNull(chatSettings.digestAt), isNull(chatSettings.language)));
  return rows.map((r) => r.chatId);
}

/**
 * Who last changed this chat's settings. It scans the audit log on a JSON field: used once, for
 * rows stored before the chat's language was (backfillChatLanguages), never per summary.
 */
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
