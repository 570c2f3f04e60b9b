// The check job on the account-session queue: under the account's lease (so never beside a warmup
// of it), open the account with its saved login through its proxy, run the pre-flight check, record the
// health it shows, and queue the answer for the bot process. It counts nothing and is no run.
import type { Job } from 'pg-boss';
import { findAccount, recordAccountHealth } from '../db/accounts-repo.ts';
import type { Db } from '../db/client.ts';
import type { AccountRow } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { describeError } from '../safe-error.ts';
import { openAccountSecrets } from '../tasks/account-secrets.ts';
import type { CheckResult } from '../warmup/check.ts';
import { failurePolicy } from '../warmup/failure-reasons.ts';
import { type LeaseTimings, waitForLease } from './account-lease.ts';
import type { AccountChecker } from './check-runner.ts';
import { type CheckAnswer, checkPayload } from './queues.ts';

export type CheckJobDeps = {
  db: Db;
  log: Logger;
  /** Absent in a worker without a browser: checks are answered "not possible here". */
  checker: AccountChecker | undefined;
  secretsKey: Buffer | undefined;
  lease: LeaseTimings;
  shutdown: AbortSignal;
  /** Queues the answer for the bot process. */
  answer: (answer: CheckAnswer) => Promise<void>;
};

type Health = Exclude<AccountRow['health'], 'unknown'>;

/** logged_in → ok; a logged-out, captcha or blocked page → that; unknown says nothing. */
export function healthOf(result: CheckResult): Health | null {
  if (!result.reachable) return failurePolicy(result.reason).health;
  if (result.state === 'logged_in') return 'ok';
  if (result.state === 'unknown') return null;
  return result.state;
}

export function createCheckHandler(deps: CheckJobDeps) {
  const { db, log } = deps;
  return async (job: Job<unknown>) => {
    const parsed = checkPayload.safeParse(job.data);
    if (!parsed.success) {
      log.error({ jobId: job.id }, 'check job with a malformed payload: dropped');
      return { skipped: 'malformed' };
    }
    const request = parsed.data;
    const account = await findAccount(db, request.accountId);
    if (!account) return { skipped: 'the account is gone' };
    const reply = (fields: Omit<CheckAnswer, 'chatId' | 'actorId' | 'account'>) =>
      deps.answer({ chatId: request.chatId, actorId: request.actorId, account: account.username, ...fields });
    const fail = async (verdict: string, message: string) => {
      await reply({ reachable: false, verdict, message, health: null, screenshot: null });
      return { failed: verdict };
    };

    if (!deps.checker) return fail('internal_error', 'this worker has no browser');
    const secrets = openAccountSecrets(account, deps.secretsKey);
    if (!secrets.ok) return fail(secrets.code, secrets.message);

    const stop = AbortSignal.any([job.signal, deps.shutdown]);
    const holder = { accountId: account.id, runId: null, holder: `check:${job.id}` };
    const held = await waitForLease(db, holder, deps.lease, stop, log);
    if (!held) {
      if (stop.aborted) return fail('interrupted', 'the worker stopped before the account was free');
      return fail('busy', 'the account stayed in a warmup session; ask again when it has ended');
    }
    let result: CheckResult;
    try {
      result = await runCheck(deps.checker, account, secrets, AbortSignal.any([stop, held.lost]), log);
    } finally {
      // runCheck returns after the browser context has closed.
      await held.release();
    }
    const health = healthOf(result);
    if (health) await recordAccountHealth(db, account.id, health, health === 'ok' ? null : result.message);
    log.info({ account: account.username, reachable: result.reachable, health }, 'account checked');
    await reply({
      reachable: result.reachable,
      verdict: result.reachable ? result.state : result.reason,
      message: result.message,
      health,
      screenshot: result.screenshot?.toString('base64') ?? null,
    });
    return { checked: result.reachable ? result.state : result.reason };
  };
}

async function runCheck(
  checker: AccountChecker,
  account: AccountRow,
  secrets: { storageState: unknown; proxyUrl: string | null },
  signal: AbortSignal,
  log: Logger,
): Promise<CheckResult> {
  const lines = log.child({ account: account.username, check: true });
  try {
    return await checker({
      account: { ...account, storageState: secrets.storageState, proxyUrl: secrets.proxyUrl },
      signal,
      log: (line) => lines.info(line),
    });
  } catch (err) {
    if (signal.aborted)
      return { reachable: false, reason: 'cancelled', message: 'the check was stopped', screenshot: null };
    lines.error({ err }, 'the check threw');
    return { reachable: false, reason: 'browser_crashed', message: describeError(err), screenshot: null };
  }
}
