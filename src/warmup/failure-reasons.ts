// Every reason a run can fail for, declared once: whether a retry makes sense, and what it says
// about the account (the health it records, and whether "all healthy" leaves the account out).
// The engine, the session job, the bot's account filter and docs/operations.md all follow it.

type Policy = {
  /** Whether pg-boss retries the session's job (with backoff) while attempts are left. */
  readonly retryable: boolean;
  /** The account health this failure records, or null when it says nothing about the account. */
  readonly health: 'logged_out' | 'captcha' | 'blocked' | 'proxy_error' | null;
};

export const FAILURE_POLICY = {
  // Health problems are never retried: retrying makes blocks worse.
  logged_out: { retryable: false, health: 'logged_out' },
  captcha: { retryable: false, health: 'captcha' },
  blocked: { retryable: false, health: 'blocked' },
  // A proxy that refuses us is the account's problem until an operator looks: not retried.
  proxy_error: { retryable: false, health: 'proxy_error' },
  navigation_timeout: { retryable: true, health: null },
  // The site's markup no longer matches the profile: a retry repeats it (opening the account
  // again each time); the operator fixes the profile and restarts.
  selector_missing: { retryable: false, health: null },
  browser_crashed: { retryable: true, health: null },
  cancelled: { retryable: false, health: null },
  // Outside the engine: the worker's own failures and the queue's verdicts.
  session_unreadable: { retryable: false, health: null },
  bad_settings: { retryable: false, health: null },
  internal_error: { retryable: true, health: null },
  interrupted: { retryable: true, health: null },
  worker_lost: { retryable: false, health: null },
  job_lost: { retryable: false, health: null },
  expired: { retryable: false, health: null },
} as const satisfies Record<string, Policy>;

export type FailureCode = keyof typeof FAILURE_POLICY;
export const FAILURE_CODES = Object.keys(FAILURE_POLICY) as FailureCode[];

/** Health states that make a new session pointless until a person acts (a new login, a review). */
export const UNWARMABLE_HEALTH = ['logged_out', 'captcha', 'blocked'] as const;

/**
 * Failures that quarantine the account: no programme runs it again until a person resumes it
 * (a Resume button, /account_resume, a new /login). The same states as UNWARMABLE_HEALTH.
 */
export const QUARANTINE_REASONS: readonly FailureCode[] = UNWARMABLE_HEALTH;

export function quarantines(code: string): boolean {
  return (QUARANTINE_REASONS as readonly string[]).includes(code);
}

export function isFailureCode(code: string): code is FailureCode {
  return Object.hasOwn(FAILURE_POLICY, code);
}

/** The policy of a reason; one we do not know (an older deploy's) is neither retried nor health. */
export function failurePolicy(code: string): Policy {
  return isFailureCode(code) ? FAILURE_POLICY[code] : { retryable: false, health: null };
}
