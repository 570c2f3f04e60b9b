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
} as const;

export const sessionPayload = z.object({
  runId: z.number().int().positive(),
  runNumber: z.number().int().positive(),
  taskId: z.number().int().positive(),
  accountId: z.number().int().positive(),
});
export type SessionPayload = z.infer<typeof sessionPayload>;

export type QueueTimings = {
  /** A worker that stops heartbeating for this long is presumed dead (pg-boss minimum: 10). */
  heartbeatSeconds: number;
  /** How many times a session is retried after a transient failure or a lost worker. */
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

export function sessionKey(accountId: number): string {
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
      // Telegram can be away for a while; keep trying for about an hour before giving up.
      retryLimit: 25,
      retryDelay: 2,
      retryBackoff: true,
      retryDelayMax: 300,
      expireInSeconds: 120,
      deadLetter: QUEUES.notifyDead,
    },
    { name: QUEUES.reconcile, policy: 'singleton', retryLimit: 0, expireInSeconds: 120 },
    { name: QUEUES.retention, policy: 'singleton', retryLimit: 2, expireInSeconds: 3600 },
  ];
  for (const { name, ...definition } of definitions) {
    const options = { ...definition, deleteAfterSeconds: timings.jobRetentionSeconds };
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
