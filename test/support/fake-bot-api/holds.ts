// Calls held on purpose: the next call of a method matching a predicate waits until the test
// releases it, so a test can keep one handler in flight. A held call whose client went away (the
// bot process was killed) is dropped, as if it never reached Telegram.
import type { ApiCall } from './types.ts';

export type Hold = {
  /** Resolves with the call once it is being held. */
  reached: Promise<ApiCall>;
  /**
   * Resolves once the held call's client went away (its connection closed: the bot process was
   * killed). Wait on it before release() when the call must be dropped, not answered.
   */
  gone: Promise<void>;
  release(): void;
};

type Pending = {
  method: string;
  matches: (call: ApiCall) => boolean;
  take: (call: ApiCall, clientGone: AbortSignal) => Promise<void>;
};

export function createHolds() {
  const pending: Pending[] = [];
  return {
    hold(method: string, matches: (call: ApiCall) => boolean = () => true): Hold {
      let reach!: (call: ApiCall) => void;
      let release!: () => void;
      let leave!: () => void;
      const reached = new Promise<ApiCall>((resolve) => {
        reach = resolve;
      });
      const gone = new Promise<void>((resolve) => {
        leave = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      pending.push({
        method,
        matches,
        take: (call, clientGone) => {
          reach(call);
          if (clientGone.aborted) leave();
          else clientGone.addEventListener('abort', () => leave(), { once: true });
          return released;
        },
      });
      return { reached, gone, release };
    },
    /** The wait this call must sit out, if a hold claims it; undefined otherwise. */
    claim(call: ApiCall, clientGone: AbortSignal): Promise<void> | undefined {
      const at = pending.findIndex((h) => h.method === call.method && h.matches(call));
      if (at < 0) return undefined;
      const [found] = pending.splice(at, 1);
      return found!.take(call, clientGone);
    },
  };
}
