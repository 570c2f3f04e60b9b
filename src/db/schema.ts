// The database schema (drizzle). Every status-bearing table takes its status and timestamps from
// lifecycleColumns(), so no task kind or run can lack started_at/completed_at again.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  HEALTH_STATES,
  inList,
  LIVE_PROGRAMME_STATUSES,
  PROGRAMME_STATUSES,
  SLOT_STATUSES,
  STATUSES,
} from './vocabulary.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

const stamp = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => stamp('created_at').notNull().defaultNow();
const updatedAt = () => stamp('updated_at').notNull().defaultNow();
const telegramId = (name: string) => bigint(name, { mode: 'number' });

const STATUS_CHECK = inList('status', STATUSES);

function lifecycleColumns() {
  return {
    status: text('status', { enum: STATUSES }).notNull().default('pending'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: stamp('started_at'),
    completedAt: stamp('completed_at'),
    /** Bumped by every restart; a job carrying an older number is stale. */
    runNumber: integer('run_number').notNull().default(1),
  };
}

export const users = pgTable(
  'users',
  {
    telegramId: telegramId('telegram_id').primaryKey(),
    username: text('username'),
    /** Granted in chat; null for a user known only by name (a configured admin). */
    role: text('role'),
    language: text('language'),
    grantedBy: telegramId('granted_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('users_role_check', sql`${t.role} in ('viewer', 'operator', 'admin')`)],
);

export const accounts = pgTable(
  'accounts',
  {
    id: serial('id').primaryKey(),
    username: text('username').notNull(),
    /**
     * The proxy URL (scheme://user:pass@host:port) sealed under SESSION_ENCRYPTION_KEY
     * (db/account-proxy.ts): a secret, never logged, opened only where a browser needs it.
     */
    proxyEncrypted: bytea('proxy_encrypted'),
    /** host:port of the proxy, for display and export: never a credential. */
    proxyHost: text('proxy_host'),
    /**
     * In clear: rows from before proxies were sealed (sealed at startup when there is a key), and,
     * without a key, a proxy that carries no credentials. Never a password when a key is set.
     */
    proxyUrl: text('proxy_url'),
    /** Playwright storage state, AES-256-GCM encrypted with SESSION_ENCRYPTION_KEY. */
    loginEncrypted: bytea('login_encrypted'),
    loginUpdatedAt: stamp('login_updated_at'),
    health: text('health', { enum: HEALTH_STATES }).notNull().default('unknown'),
    healthMessage: text('health_message'),
    healthUpdatedAt: stamp('health_updated_at'),
    lastWarmedAt: stamp('last_warmed_at'),
    locale: text('locale'),
    /** The browser identity every context of this account shows (src/warmup/identity.ts). */
    identity: jsonb('identity'),
    /** local: the worker's Chromium with the identity; cdp: the anti-detect profile below. */
    browser: text('browser').notNull().default('local'),
    /** {provider, profileId, injectLogin} for a cdp browser (src/warmup/providers/provider.ts). */
    browserProfile: jsonb('browser_profile'),
    /**
     * Set when a session ended captcha / blocked / logged_out: every programme leaves the account
     * out until a person resumes it (a button, /account_resume, a new /login).
     */
    quarantinedAt: stamp('quarantined_at'),
    /** The failure code that quarantined it. */
    quarantineReason: text('quarantine_reason'),
    /** The run whose failure quarantined it (for its screenshot). */
    quarantineRunId: integer('quarantine_run_id'),
    /** Its groups: lower-case `[a-z0-9_][a-z0-9_-]*`, sorted, each once (src/tasks/fleet/tags.ts). */
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** The site profile it warms on, by name; null: the deployment's default (WARMUP_SITE_PROFILE). */
    platform: text('platform'),
    /**
     * Set when an admin removed it: gone from lists and selections, its runs still readable. The
     * name is free again (the unique index covers live accounts only).
     */
    removedAt: stamp('removed_at'),
    removedBy: telegramId('removed_by'),
    createdBy: telegramId('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('accounts_username_key').on(sql`lower(${t.username})`).where(sql`removed_at is null`),
    index('accounts_tags_idx').using('gin', t.tags),
    check('accounts_browser_check', sql`${t.browser} in ('local', 'cdp')`),
    check('accounts_health_check', sql.raw(inList('health', HEALTH_STATES))),
  ],
);

export const tasks = pgTable(
  'tasks',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').notNull().default('warmup'),
    name: text('name').notNull(),
    ...lifecycleColumns(),
    settings: jsonb('settings').notNull(),
    /** The chat that created or last restarted the task; notifications go there. */
    chatId: telegramId('chat_id'),
    createdBy: telegramId('created_by'),
    restartedBy: telegramId('restarted_by'),
    /** The live progress message in chatId, edited while the task runs. */
    progressMessageId: integer('progress_message_id'),
    /** When the last progress event was published: runs of one task share one interval. */
    progressPublishedAt: stamp('progress_published_at'),
    /** Set for a task the programme scheduler created, with the programme day it belongs to. */
    programmeId: integer('programme_id').references((): AnyPgColumn => programmes.id, {
      onDelete: 'set null',
    }),
    programmeDay: integer('programme_day'),
  },
  (t) => [
    check('tasks_status_check', sql.raw(STATUS_CHECK)),
    check('tasks_kind_check', sql`${t.kind} in ('warmup', 'upload')`),
    index('tasks_status_id_idx').on(t.status, t.id.desc()),
    index('tasks_programme_idx').on(t.programmeId, t.programmeDay).where(sql`programme_id is not null`),
  ],
);

export const runs = pgTable(
  'runs',
  {
    id: serial('id').primaryKey(),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    ...lifecycleColumns(),
    counters: jsonb('counters').notNull().default({}),
    cappedByTime: boolean('capped_by_time').notNull().default(false),
    reasonCode: text('reason_code'),
    reasonMessage: text('reason_message'),
    attempts: integer('attempts').notNull().default(0),
    /** The pg-boss job carrying this run's current run number; null until it is dispatched. */
    jobId: uuid('job_id'),
    /**
     * The attempt of that job (pg-boss retryCount) that owns the run since it began; every write
     * of a session (counters, log lines, screenshot, its end) is fenced by job id and attempt.
     */
    jobAttempt: integer('job_attempt'),
    /**
     * What the run sets out to do, drawn once per run number when it first begins and kept by
     * every attempt: `{ seed, targets }` (src/warmup/plan.ts). Null until then; a restart clears it.
     */
    plan: jsonb('plan'),
    /**
     * The visible effects its attempts recorded, each BEFORE performing it (`{ likes, follows,
     * comments, searches }`): never more than the plan's targets. A restart clears it.
     */
    effects: jsonb('effects').notNull().default({}),
  },
  (t) => [
    check('runs_status_check', sql.raw(STATUS_CHECK)),
    uniqueIndex('runs_task_account_key').on(t.taskId, t.accountId),
    index('runs_account_status_idx').on(t.accountId, t.status),
    index('runs_unfinished_idx').on(t.taskId).where(sql`status in ('pending', 'running')`),
  ],
);

export const runLogLines = pgTable(
  'run_log_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    runNumber: integer('run_number').notNull(),
    at: stamp('at').notNull().defaultNow(),
    line: text('line').notNull(),
  },
  (t) => [index('run_log_lines_run_idx').on(t.runId, t.id), index('run_log_lines_at_idx').on(t.at)],
);

/** The last failure screenshot of a run (PNG), kept apart so listing runs stays light. */
export const runScreenshots = pgTable('run_screenshots', {
  runId: integer('run_id')
    .primaryKey()
    .references(() => runs.id, { onDelete: 'cascade' }),
  runNumber: integer('run_number').notNull(),
  png: bytea('png').notNull(),
  takenAt: stamp('taken_at').notNull().defaultNow(),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: stamp('at').notNull().defaultNow(),
    /** Telegram user id; null for the system (reconciler, dead letters). */
    actorId: telegramId('actor_id'),
    action: text('action').notNull(),
    taskId: integer('task_id').references(() => tasks.id, { onDelete: 'set null' }),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [index('audit_log_task_idx').on(t.taskId, t.id), index('audit_log_at_idx').on(t.at)],
);

/**
 * The bot's inbox: every update from Telegram (long poll or webhook) is written here before it is
 * confirmed to Telegram, and marked handled once handled (or failed into bot.catch). A crash loses
 * none (unhandled rows are handled at the next start) and handles none twice (the key dedupes).
 */
export const botUpdates = pgTable(
  'bot_updates',
  {
    /** Update ids are per bot: a new token starts a new sequence. */
    botId: bigint('bot_id', { mode: 'number' }).notNull(),
    updateId: bigint('update_id', { mode: 'number' }).notNull(),
    /**
     * The update as Telegram sent it, sealed (db/secret-box.ts): a message may carry a proxy
     * password or a saved login's file. Emptied once handled: a handled row only stops a redelivery.
     */
    payloadEncrypted: bytea('payload_encrypted'),
    /** In clear: rows stored before the inbox was sealed (sealed or emptied at the bot's start). */
    payload: jsonb('payload'),
    /** Telegram's own date of the message (its edit, the member change…); null for a tap. */
    sentAt: stamp('sent_at'),
    receivedAt: stamp('received_at').notNull().defaultNow(),
    handledAt: stamp('handled_at'),
  },
  (t) => [
    primaryKey({ columns: [t.botId, t.updateId] }),
    index('bot_updates_unhandled_idx').on(t.botId, t.updateId).where(sql`handled_at is null`),
    index('bot_updates_handled_at_idx').on(t.handledAt),
  ],
);

/**
 * One row per account that has ever been leased: the account's browser lease (rule 11). A worker
 * holds it from before the context opens until after it closed, and extends it while it runs;
 * an expired lease belongs to nobody. The token grows with every grant (a fencing token).
 */
export const accountLeases = pgTable('account_leases', {
  accountId: integer('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  token: bigint('token', { mode: 'number' }).notNull(),
  /** The run and the job attempt (`<jobId>:<retryCount>`) holding it; null once released. */
  runId: integer('run_id'),
  holder: text('holder'),
  expiresAt: stamp('expires_at').notNull(),
});

/** How an outbox entry was settled: sent (alone or in a digest), superseded, or refused by Telegram. */
export const OUTBOX_OUTCOMES = ['sent', 'stale', 'dropped'] as const;
export type OutboxOutcome = (typeof OUTBOX_OUTCOMES)[number];

/**
 * Task events waiting for their chat, in the order they were recorded. A notification job is
 * done once its event is here (job_id makes recording it twice a no-op); the bot's per-chat lanes
 * deliver from here and settle each entry.
 */
export const notificationOutbox = pgTable(
  'notification_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chatId: telegramId('chat_id').notNull(),
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id'),
    event: jsonb('event').notNull(),
    createdAt: createdAt(),
    settledAt: stamp('settled_at'),
    outcome: text('outcome'),
    /** Not delivered before this (the chat's quiet hours); then folded into the morning digest. */
    heldUntil: stamp('held_until'),
  },
  (t) => [
    uniqueIndex('notification_outbox_job_key').on(t.jobId),
    index('notification_outbox_pending_idx').on(t.chatId, t.id).where(sql`settled_at is null`),
    index('notification_outbox_settled_idx').on(t.settledAt),
    check(
      'notification_outbox_outcome_check',
      sql.raw(`outcome is null or outcome in (${OUTBOX_OUTCOMES.map((o) => `'${o}'`).join(', ')})`),
    ),
  ],
);

/** Chats Telegram said we cannot write to (blocked, kicked, gone); nothing is sent there until one speaks again. */
export const unreachableChats = pgTable('unreachable_chats', {
  chatId: telegramId('chat_id').primaryKey(),
  reason: text('reason').notNull(),
  since: stamp('since').notNull().defaultNow(),
});

/**
 * Which bot process delivers a chat's outbox now (one lane per chat across processes): taken
 * before reading the chat's pending entries, renewed while delivering, released when the lane ends.
 */
export const chatLanes = pgTable('chat_lanes', {
  chatId: telegramId('chat_id').primaryKey(),
  /** The outbox holding it (host:pid:random, one per process). */
  holder: text('holder').notNull(),
  /** Free for another process once this has passed (its holder died or stopped). */
  expiresAt: stamp('expires_at').notNull(),
});

/** Per-chat preferences; a chat without a row uses the defaults (TIMEZONE, no quiet hours, no digest). */
export const chatSettings = pgTable(
  'chat_settings',
  {
    chatId: telegramId('chat_id').primaryKey(),
    /** IANA name overriding TIMEZONE for this chat (/tz); null: the team's TIMEZONE. */
    timeZone: text('time_zone'),
    /** Quiet hours (/quiet 23:00-08:00) as minutes after local midnight; both null: none. */
    quietFrom: integer('quiet_from'),
    quietUntil: integer('quiet_until'),
    /** Whether a failure that quarantines an account still comes at once during quiet hours. */
    quietUrgent: boolean('quiet_urgent').notNull().default(true),
    /** The daily summary's local time (/digest 09:00) in minutes after midnight; null: none. */
    digestAt: integer('digest_at'),
    /** The local date (in the chat's timezone) of the last daily summary claimed: one per day. */
    digestSentOn: date('digest_sent_on', { mode: 'string' }),
    /** Attempts at the summary of `digestSentOn` (each claim counts one). */
    digestTries: integer('digest_tries').notNull().default(0),
    /** When the failed summary of `digestSentOn` is tried again; null: sent, or given up until tomorrow. */
    digestRetryAt: stamp('digest_retry_at'),
    /** The local date whose chart went out: a retry of that day's summary sends only its words. */
    digestChartOn: date('digest_chart_on', { mode: 'string' }),
    /**
     * The language the chat's unprompted messages (the daily summary) speak: of whoever last
     * talked to the bot in it or changed its settings; null: not known yet (English).
     */
    language: text('language'),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('chat_settings_quiet_check', sql`(${t.quietFrom} is null) = (${t.quietUntil} is null)`),
    check('chat_settings_quiet_from_check', sql`${t.quietFrom} between 0 and 1439`),
    check('chat_settings_quiet_until_check', sql`${t.quietUntil} between 0 and 1439`),
    check('chat_settings_digest_at_check', sql`${t.digestAt} between 0 and 1439`),
    check('chat_settings_digest_tries_check', sql`${t.digestTries} >= 0`),
  ],
);

/**
 * A warmup programme: accounts warmed every day for `ramp.length` days from `startDate`, each day
 * with its preset, `sessionsMin`–`sessionsMax` sessions per account at random times inside the
 * daily windows of `timeZone`, at least `minGapMinutes` apart.
 */
export const programmes = pgTable(
  'programmes',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    status: text('status', { enum: PROGRAMME_STATUSES }).notNull().default('active'),
    /** The preset of each day, day 1 first: ["observer", "observer", "light", …]. */
    ramp: jsonb('ramp').$type<string[]>().notNull(),
    /**
     * ramp=platform: each account follows its platform's ramp (its site profile's warmup.ramp,
     * scaled to the ramp's length); an account whose platform has none follows `ramp`.
     */
    rampByPlatform: boolean('ramp_by_platform').notNull().default(false),
    /** Daily windows as minutes after local midnight: [{ from: 600, until: 780 }, …]. */
    windows: jsonb('windows').$type<{ from: number; until: number }[]>().notNull(),
    timeZone: text('time_zone').notNull(),
    sessionsMin: integer('sessions_min').notNull(),
    sessionsMax: integer('sessions_max').notNull(),
    minGapMinutes: integer('min_gap_minutes').notNull(),
    /** Day 1's local date in timeZone. */
    startDate: date('start_date', { mode: 'string' }).notNull(),
    /** Seeds the draw of session times, so every process draws the same slots. */
    seed: integer('seed').notNull(),
    /** Where its tasks report and where the quarantine notice goes. */
    chatId: telegramId('chat_id'),
    createdBy: telegramId('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('programmes_status_check', sql.raw(inList('status', PROGRAMME_STATUSES))),
    check('programmes_sessions_check', sql`${t.sessionsMin} >= 1 and ${t.sessionsMax} >= ${t.sessionsMin}`),
    uniqueIndex('programmes_live_name_key')
      .on(sql`lower(${t.name})`)
      .where(sql.raw(inList('status', LIVE_PROGRAMME_STATUSES))),
  ],
);

/** The accounts of a programme; one added or removed mid-way takes part from/until a day. */
export const programmeAccounts = pgTable(
  'programme_accounts',
  {
    programmeId: integer('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The first programme day the account takes part in. */
    fromDay: integer('from_day').notNull().default(1),
    /** The first day it no longer takes part in; null: until the end. */
    untilDay: integer('until_day'),
  },
  (t) => [primaryKey({ columns: [t.programmeId, t.accountId] })],
);

/**
 * One session of one account on one programme day. The key makes every slot exist once however
 * many schedulers run; a slot becomes a task once (planned → created in the task's transaction).
 */
export const programmeSlots = pgTable(
  'programme_slots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    programmeId: integer('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    day: integer('day').notNull(),
    /** The slot's number within its account's day, from 1. */
    seq: integer('seq').notNull(),
    preset: text('preset').notNull(),
    dueAt: stamp('due_at').notNull(),
    /** The end of the window it was drawn in: a missed slot runs late until then, else is skipped. */
    windowEndsAt: stamp('window_ends_at').notNull(),
    status: text('status', { enum: SLOT_STATUSES }).notNull().default('planned'),
    /** Why it was skipped: one of SKIP_REASONS (missed, quarantined, paused, stopped, removed). */
    skipReason: text('skip_reason'),
    taskId: integer('task_id').references(() => tasks.id, { onDelete: 'set null' }),
    settledAt: stamp('settled_at'),
  },
  (t) => [
    check('programme_slots_status_check', sql.raw(inList('status', SLOT_STATUSES))),
    uniqueIndex('programme_slots_key').on(t.programmeId, t.accountId, t.day, t.seq),
    index('programme_slots_due_idx').on(t.dueAt).where(sql`status = 'planned'`),
  ],
);

export type TaskRow = typeof tasks.$inferSelect;
export type RunRow = typeof runs.$inferSelect;
export type AccountRow = typeof accounts.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type ChatSettingsRow = typeof chatSettings.$inferSelect;
export type ProgrammeRow = typeof programmes.$inferSelect;
export type ProgrammeAccountRow = typeof programmeAccounts.$inferSelect;
export type ProgrammeSlotRow = typeof programmeSlots.$inferSelect;
