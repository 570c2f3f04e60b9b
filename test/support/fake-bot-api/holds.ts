// Calls held on purpose: the next call of a method matching a predicate waits until the test
// releases it, so a test can keep one handler in flight. A held call whose client went away (the
// bot process was killed) is dropped, as if it never reached Telegram.
import type { ApiCall } from './types.ts';

export type Hold = {
  /** Resolves with the call once it is being held. */
  reached: Promise<ApiCall>;
  release(): void;
};

type Pending = {
  method: string;
  matches: (call: ApiCall) => boolean;
  take: (call: ApiCall) => Promise<void>;
};

export function createHolds() {
  const pending: Pending[] = [];
  return {
    hold(method: string, matches: (call: ApiCall) => boolean = () => true): Hold {
      let reach!: (call: ApiCall) => void;
      let release!: () => void;
      const reached = new Promise<ApiCall>((resolve) => {
        reach = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      pending.push({
        method,
        matches,
        take: (call) => {
          reach(call);
          return released;
        },
      });
      return { reached, release };
    },
    /** The wait this call must sit out, if a hold claims it; undefined otherwise. */
    claim(call: ApiCall): Promise<void> | undefined {
      const at = pending.findIndex((h) => h.method === call.method && h.matches(call));
      if (at < 0) return undefined;
      const [found] = pending.splice(at, 1);
      return found!.take(call);
    },
  };
}
