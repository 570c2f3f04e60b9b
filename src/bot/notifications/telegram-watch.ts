// Watches the bot's Bot API traffic: every failed call is reported by method and code (the HTTP
// status Telegram answered, or "network"), and whether updates are arriving — launched, not
// stopped, and (when long polling) the last getUpdates did not fail — and no 409 Conflict (another
// process polling this token) for a while, since two pollers take turns and each sees successes.
import { type Telegram, TelegramError } from 'telegraf';

export type TelegramWatch = {
  launched(): void;
  stopped(): void;
  /** Throws, saying why, when this process is not receiving updates. */
  check(): void;
};

/** How long a 409 on getUpdates keeps readiness red after the last one. */
export const CONFLICT_MEMORY_MS = 120_000;

export function watchTelegram(
  telegram: Telegram,
  onError: (method: string, code: string) => void,
  now: () => number = Date.now,
): TelegramWatch {
  let state: 'starting' | 'receiving' | 'stopped' = 'starting';
  let pollingError: string | undefined;
  let conflictAt: number | undefined;
  const callApi = telegram.callApi.bind(telegram);
  telegram.callApi = (async (method, payload, options) => {
    try {
      const result = await callApi(method, payload, options);
      if (method === 'getUpdates') pollingError = undefined;
      return result;
    } catch (err) {
      // Stopping the bot aborts the long poll in flight; that is no error.
      if ((err as Error).name !== 'AbortError') {
        const code = err instanceof TelegramError ? String(err.code) : 'network';
        onError(method, code);
        if (method === 'getUpdates') pollingError = `getUpdates failed (${code})`;
        if (method === 'getUpdates' && code === '409') conflictAt = now();
      }
      throw err;
    }
  }) as typeof telegram.callApi;
  return {
    launched: () => {
      if (state === 'starting') state = 'receiving';
    },
    stopped: () => {
      state = 'stopped';
    },
    check() {
      if (state !== 'receiving') throw new Error(state === 'starting' ? 'not launched yet' : 'stopped');
      if (conflictAt !== undefined && now() - conflictAt < CONFLICT_MEMORY_MS) {
        throw new Error('another process is polling this bot token (409 Conflict from getUpdates)');
      }
      if (pollingError) throw new Error(pollingError);
    },
  };
}
