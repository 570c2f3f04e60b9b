// Queue names, payload schemas and policies: the one place that says how work travels.
// account-session is a singleton queue keyed by account: at most one live session per account,
// across all tasks; a second run for a busy account waits in the queue until it frees up.
import type { PgBoss, Queue } from 'pg-boss';
import { z } from 'zod';

export const QUEUES = {
  session: 'account-session',
  sessionDead: 'account-session-dead',
  notify: 'task-notification',
  notifyDead: 'task-notification-dead',
  reconcile: 'reconcile',
  retention: 'retention',
  /** The programme scheduler's tick (programme-job.ts), every minute. */
  programmes: 'programme-tick',
  /** A check's answer, sent to the chat by the bot process (the worker never calls Telegram). */
  checkAnswer: 'account-check-answer',
} as const;

export const sessionPayload = z.object({
  runId: z.number().int().positive(),
  runNumber: z.number().int().positive(),
  taskId: z.number().int().positive(),
  accountId: z.number().int().positive(),
});
export type SessionPayload = z.infer<typeof sessionPayload>;

/** A pre-flight check of one account (/check): the same queue and key as its warmups, never a run. */
export const checkPayload = z.strictObject({
  kind: z.literal('check'),
  accountId: z.number().int().positive(),
  chatId: z.number().int(),
  actorId: z.number().int().positive(),
});
export type CheckPayload = z.infer<typeof checkPayload>;

/** True for a job the session queue holds that asks for a check rather than a warmup session. */
export function isCheckJob(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'check';
}

/** What the chat hears of a check; the screenshot travels as base64 (a queue payload is JSON). */
export const checkAnswerPayload = z.strictObject({
  chatId: z.number().int(),
  actorId: z.number().int().positive(),
  account: z.string(),
  reachable: z.boolean(),
  /** logged_in / logged_out / captcha / blocked / unknown when reachable; the failure reason otherwise. */
  verdict: z.string(),
  message: z.string(),
  /** The health recorded on the account, or null when it was left as it was. */
  health: z.string().nullable(),
  screenshot: z.string().nullable(),
});
export type CheckAnswer = z.infer<typeof checkAnswerPayload>;

/** A check opens one page: a context launch, a 30 s navigation and a screenshot, with room. */
export const CHECK_EXPIRY_SECONDS = 180;

export type QueueTimings = {
  /** A worker that stops heartbeating for this long is presumed dead (pg-boss minimum: 10). */
  heartbeatSeconds: number;
  /** How many times a session's job is retried after a transient failure or a lost worker. */
  sessionRetryLimit: number;
  sessionRetryDelaySeconds: number;
  /** How long pg-boss keeps finished jobs (completed, failed, cancelled) before deleting them. */
  jobRetentionSeconds: number;
};

export const DEFAULT_TIMINGS: QueueTimings = {
  heartbeatSeconds: 20,
  sessionRetryLimit: 2,
  sessionRetryDelaySeconds: 15,
  jobRetentionSeconds: 7 * 24 * 3600,
};

/** The singleton key of an account on the session queue: one live job per account. */
export function accountSingletonKey(accountId: number): string {
  return `account:${accountId}`;
}

/** Beyond the session's own cap, time to launch a context, take a screenshot and close. */
export const SESSION_EXPIRY_MARGIN_SECONDS = 300;

export async function createQueues(boss: PgBoss, timings: QueueTimings): Promise<void> {
  const definitions: Queue[] = [
    { name: QUEUES.sessionDead, policy: 'standard', retryLimit: 5, retryBackoff: true },
    {
      name: QUEUES.session,
      policy: 'singleton',
      notify: true,
      heartbeatSeconds: timings.heartbeatSeconds,
      retryLimit: timings.sessionRetryLimit,
      retryDelay: timings.sessionRetryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: 600,
      deadLetter: QUEUES.sessionDead,
    },
    { name: QUEUES.notifyDead, policy: 'standard' },
    {
      // Recorded into the per-chat outbox by the bot process (quick, and idempotent by job id),
      // which then orders, throttles and folds them per chat from there.
      name: QUEUES.notify,
      policy: 'standard',
      notify: true,
      // Recording needs only our own database (Telegram is the outbox's business), so a job fails
      // only while the database is away: retry soon after it is back — at most 15 s apart — for
      // about an hour, instead of a backoff that would hold notifications minutes after an outage.
      retryLimit: 240,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 15,
      expireInSeconds: 120,
      deadLetter: QUEUES.notifyDead,
    },
    {
      // Telegram may be away for a moment: a few retries, then the answer (out of date by then) is
      // dropped. Its screenshot is not kept for the week finished jobs stay.
      name: QUEUES.checkAnswer,
      deleteAfterSeconds: 3600,
      policy: 'standard',
      notify: true,
      retryLimit: 5,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: 60,
    },
    { name: QUEUES.reconcile, policy: 'singleton', retryLimit: 0, expireInSeconds: 120 },
    { name: QUEUES.retention, policy: 'singleton', retryLimit: 2, expireInSeconds: 3600 },
    // The next minute's tick does the work of a failed one: no retries.
    { name: QUEUES.programmes, policy: 'singleton', notify: true, retryLimit: 0, expireInSeconds: 120 },
  ];
  for (const { name, ...definition } of definitions) {
    const options = { deleteAfterSeconds: timings.jobRetentionSeconds, ...definition };
    const existing = await boss.getQueue(name);
    const changes = updatable(options);
    if (!existing) await boss.createQueue(name, options);
    else if (Object.keys(changes).length > 0) await boss.updateQueue(name, changes);
  }
}

/** Policy and partitioning are fixed at creation; everything else follows the code on each start. */
function updatable(options: Omit<Queue, 'name'>) {
  const { policy: _policy, partition: _partition, ...rest } = options;
  return rest;
}
