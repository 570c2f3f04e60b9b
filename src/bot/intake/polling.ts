// Long polling into the intake. Unlike telegraf's loop, the next getUpdates is sent as soon as the
// last batch is stored (not handled), so a slow handler holds back no one; a batch's offset is
// confirmed to Telegram only once the batch is durable in the inbox. Failures are retried with
// backoff — a 409 (another process polls this token) too, said once in one line; only 401 ends it.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Telegram, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../logger.ts';
import type { Intake } from './intake.ts';

export type PollingOptions = {
  telegram: Telegram;
  intake: Intake;
  log: Logger;
  signal: AbortSignal;
  allowedUpdates?: readonly string[];
  /** Pause before retry number `attempt` (1, 2, …) when Telegram gave no retry_after. */
  retryDelayMs?: (attempt: number) => number;
  /** Stored updates not yet handled beyond which no new batch is fetched. */
  maxPending?: number;
  /** Seconds a getUpdates is held by Telegram when there is nothing to deliver. */
  timeoutSeconds?: number;
};

export const defaultRetryDelayMs = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/** Polls until the signal aborts (resolves) or the token is refused (rejects). */
export async function pollUpdates(options: PollingOptions): Promise<void> {
  const { telegram, intake, signal } = options;
  const log = options.log.child({ component: 'polling' });
  const retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  const maxPending = options.maxPending ?? 1000;
  let offset = 0;
  let failures = 0;
  let conflict = false;
  while (!signal.aborted) {
    await intake.room(maxPending);
    let updates: Update[];
    try {
      updates = (await telegram.callApi(
        'getUpdates',
        { timeout: options.timeoutSeconds ?? 50, offset, allowed_updates: options.allowedUpdates as never },
        { signal: signal as never },
      )) as Update[];
      if (conflict) log.info('long polling resumed: no other process is polling this bot token now');
      conflict = false;
      failures = 0;
    } catch (err) {
      if (signal.aborted || (err as Error).name === 'AbortError') break;
      if (err instanceof TelegramError && err.code === 401) throw err;
      failures++;
      if (err instanceof TelegramError && err.code === 409) {
        if (!conflict) {
          log.error(
            { code: 409 },
            'another process is polling updates for this bot token (409 Conflict from getUpdates): run one bot process per token; retrying',
          );
        }
        conflict = true;
      } else {
        log.warn({ err, attempt: failures }, 'getUpdates failed; retrying');
      }
      const retryAfter = err instanceof TelegramError ? err.parameters?.retry_after : undefined;
      await pause(retryAfter === undefined ? retryDelayMs(failures) : retryAfter * 1000, signal);
      continue;
    }
    const last = updates.at(-1);
    if (!last) continue;
    try {
      await intake.accept(updates);
    } catch (err) {
      // Not stored, so not confirmed: Telegram hands the same batch to the next getUpdates.
      failures++;
      log.warn({ err, attempt: failures }, 'could not store updates; fetching them again');
      await pause(retryDelayMs(failures), signal);
      continue;
    }
    offset = last.update_id + 1;
  }
  await confirm(telegram, offset, log);
}

/** Tells Telegram the last stored batch arrived, so a restart does not fetch it again. */
async function confirm(telegram: Telegram, offset: number, log: Logger) {
  if (offset === 0) return;
  try {
    await telegram.callApi(
      'getUpdates',
      { offset, limit: 1 },
      { signal: AbortSignal.timeout(2000) as never },
    );
  } catch (err) {
    log.debug({ err }, 'could not confirm the last offset (the inbox drops the redelivery)');
  }
}

async function pause(ms: number, signal: AbortSignal) {
  await sleep(ms, undefined, { signal }).catch(() => {});
}
