// The process's shutdown: closers registered as things start, run once in reverse order, and the
// one grace period they share.
import type { Logger } from './logger.ts';

type Closer = { name: string; close: () => Promise<void> };

/**
 * Closers run in reverse order of creation: the bot stops first, the database last. The grace
 * period is one budget for the whole process, counted from the signal: under ROLE=all the bot's
 * in-flight updates and then the running sessions share it (graceLeft), rather than taking it
 * twice and outliving a supervisor's stop timeout.
 */
export function createShutdown(logger: Logger, graceMs: number, now: () => number = Date.now) {
  const closers: Closer[] = [];
  let closing: Promise<void> | undefined;
  let startedAt: number | undefined;
  return {
    add(name: string, close: () => Promise<void>) {
      closers.push({ name, close });
    },
    /** What is left of the grace period (all of it before shutdown began). */
    graceLeft(): number {
      return startedAt === undefined ? graceMs : Math.max(0, startedAt + graceMs - now());
    },
    run(): Promise<void> {
      startedAt ??= now();
      closing ??= (async () => {
        for (const closer of closers.reverse()) {
          try {
            await closer.close();
            logger.debug({ component: closer.name }, 'stopped');
          } catch (err) {
            logger.error({ err, component: closer.name }, 'failed to stop cleanly');
          }
        }
      })();
      return closing;
    },
  };
}

export type Shutdown = ReturnType<typeof createShutdown>;
