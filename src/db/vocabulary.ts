// The words the database stores, declared once: statuses of tasks, runs, programmes and slots,
// task event types, account health states and slot skip reasons. schema.ts builds its CHECK
// constraints from these lists, the lifecycle, the programme states and the event schema take their
// types from them; nothing spells them out a second time.

export const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

export const TASK_EVENT_TYPES = [
  'started',
  'progress',
  'completed',
  'failed',
  'cancelled',
  'restarted',
] as const;
export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/**
 * What is known of an account's health. The failure-reason table (src/warmup/failure-reasons.ts)
 * names the states a failure sets; a test keeps the two in agreement.
 */
export const HEALTH_STATES = ['unknown', 'ok', 'logged_out', 'captcha', 'blocked', 'proxy_error'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** A warmup programme: running its days, paused by a person, stopped early, or past its last day. */
export const PROGRAMME_STATUSES = ['active', 'paused', 'stopped', 'finished'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];

/** A programme the scheduler still looks after (and whose name no other live programme may take). */
export const LIVE_PROGRAMME_STATUSES = ['active', 'paused'] as const satisfies readonly ProgrammeStatus[];

/**
 * A programme slot (one session of one account on one programme day): planned, turned into a
 * task, or skipped (its window closed while we were down, the account was quarantined, the
 * programme paused) — the skip reason says which.
 */
export const SLOT_STATUSES = ['planned', 'created', 'skipped'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

/**
 * Why a slot was skipped: its window closed while no scheduler ran, its account was quarantined,
 * its programme was paused or stopped, or its account was taken out of the programme.
 */
export const SKIP_REASONS = ['missed', 'quarantined', 'paused', 'stopped', 'removed'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value);
}

/** `column in ('a', 'b', …)` for a CHECK constraint; the values are ours, never user input. */
export function inList(column: string, values: readonly string[]): string {
  return `${column} in (${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`;
}
