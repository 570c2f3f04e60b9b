// Whether updates are arriving: launched, not stopped, (when long polling) the last getUpdates did
// not fail, and no 409 Conflict (another process polling this token) for a while — two pollers
// take turns, so each also sees successes. It learns of calls from the send budget, which sees
// every call.
export type TelegramWatch = {
  launched(): void;
  stopped(): void;
  /** Every Bot API call's method and outcome ("ok", an HTTP status, or "network"). */
  observe(method: string, outcome: string): void;
  /** Throws, saying why, when this process is not receiving updates. */
  check(): void;
};

/** How long a 409 on getUpdates keeps readiness red after the last one. */
export const CONFLICT_MEMORY_MS = 120_000;

export function createTelegramWatch(now: () => number = Date.now): TelegramWatch {
  let state: 'starting' | 'receiving' | 'stopped' = 'starting';
  let pollingError: string | undefined;
  let conflictAt: number | undefined;
  return {
    launched: () => {
      if (state === 'starting') state = 'receiving';
    },
    stopped: () => {
      state = 'stopped';
    },
    observe(method, outcome) {
      if (method !== 'getUpdates') return;
      pollingError = outcome === 'ok' ? undefined : `getUpdates failed (${outcome})`;
      if (outcome === '409') conflictAt = now();
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
