// The boundary between the queue and the browser: what a session job hands to the warmup engine
// and what it gets back. main.ts supplies the real runner (src/warmup); benches supply a no-op.
import { failurePolicy } from '../warmup/failure-reasons.ts';
import type { LedgerOpener } from './run-ledger.ts';

export type SessionAccount = {
  id: number;
  username: string;
  proxyUrl: string | null;
  locale: string | null;
  /** The stored browser identity (jsonb, read with readIdentity); null on rows made before it. */
  identity: unknown;
  /** `local` (the worker's Chromium) or `cdp` (an anti-detect profile, browserProfile). */
  browser: string;
  browserProfile: unknown;
  /** The site profile it warms on, by name; null (or absent): the deployment's default. */
  platform?: string | null;
  /** Decrypted Playwright storage state, when the account has a saved login. */
  storageState: unknown;
};

export type SessionRunInput = {
  account: SessionAccount;
  /** The task's settings as stored (validated when the task was created). */
  settings: unknown;
  /**
   * Opens the run's ledger for the settings the session runs with: the run's targets (drawn from
   * them at its first attempt, stored before anything is done), what earlier attempts did, and the
   * record each like, follow, comment and search is written to before it happens. Absent outside a
   * run (benches, tests): the engine then keeps its targets in memory.
   */
  openLedger?: LedgerOpener;
  signal: AbortSignal;
  log: (line: string) => void;
  onProgress: (counters: Record<string, number>) => void;
};

export type SessionOutcome =
  | { status: 'completed'; counters: Record<string, number>; cappedByTime: boolean; storageState?: unknown }
  | {
      status: 'failed';
      reason: string;
      message: string;
      retryable: boolean;
      screenshot: Buffer | null;
      counters: Record<string, number>;
    };

export type SessionRunner = (input: SessionRunInput) => Promise<SessionOutcome>;

/** A failure that happened before or around the engine: nothing done, no screenshot. */
export function failedOutcome(reason: string, message: string, retryable: boolean): SessionOutcome {
  return { status: 'failed', reason, message, retryable, screenshot: null, counters: {} };
}

/** The account health a failure records (failure-reasons.ts), when it says something about the account. */
export function healthOf(reason: string) {
  return failurePolicy(reason).health ?? undefined;
}
