// Whether updates are arriving: launched, not stopped, and (when long polling) the last
// getUpdates did not fail. It learns of calls from the send budget, which sees every call.
export type TelegramWatch = {
  launched(): void;
  stopped(): void;
  /** Every Bot API call's method and outcome ("ok", an HTTP status, or "network"). */
  observe(method: string, outcome: string): void;
  /** Throws, saying why, when this process is not receiving updates. */
  check(): void;
};

export function createTelegramWatch(): TelegramWatch {
  let state: 'starting' | 'receiving' | 'stopped' = 'starting';
  let pollingError: string | undefined;
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
    },
    check() {
      if (state !== 'receiving') throw new Error(state === 'starting' ? 'not launched yet' : 'stopped');
      if (pollingError) throw new Error(pollingError);
    },
  };
}
