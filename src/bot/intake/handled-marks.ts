// Handled ids are written together, one UPDATE at a time: a round trip less per update under load.
// A write that fails (the database restarting) keeps its ids and is tried again with backoff, so an
// update handled once is not handled again at the next start; only ids still unwritten when the
// process stops (after its grace period) are.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../db/client.ts';
import { markUpdatesHandled } from '../../db/updates-repo.ts';
import type { Logger } from '../../logger.ts';

export type HandledMarks = {
  mark(updateId: number): void;
  /** Ids waiting to be written. */
  waiting(): number;
  /** Keeps trying for up to graceMs, then gives up on what is left (said in a log line). */
  stop(graceMs: number): Promise<void>;
};

export const defaultMarkRetryMs = (attempt: number) => Math.min(5000, 250 * 2 ** (attempt - 1));

export function createHandledMarks(options: {
  db: Db;
  botId: number;
  log: Logger;
  retryMs?: (attempt: number) => number;
}): HandledMarks {
  const { db, botId, log } = options;
  const retryMs = options.retryMs ?? defaultMarkRetryMs;
  const toMark: number[] = [];
  const stopping = new AbortController();
  let deadline = Number.POSITIVE_INFINITY;
  let flushing: Promise<void> | undefined;

  async function flush() {
    let failures = 0;
    while (toMark.length > 0) {
      const ids = toMark.splice(0);
      try {
        await markUpdatesHandled(db, botId, ids);
        if (failures > 0)
          log.info({ updates: ids.length, attempts: failures + 1 }, 'marked updates handled after retrying');
        failures = 0;
      } catch (err) {
        toMark.unshift(...ids);
        failures++;
        if (failures === 1 || failures % 10 === 0)
          log.warn(
            { err, updates: toMark.length, attempt: failures },
            'could not mark updates handled; retrying',
          );
        const pause = Math.min(retryMs(failures), deadline - Date.now());
        if (pause <= 0) return;
        // Until stop, stop cuts the pause short (one more try at once); after it, pauses run out.
        const signal = stopping.signal.aborted ? undefined : stopping.signal;
        await sleep(pause, undefined, signal ? { signal } : undefined).catch(() => {});
      }
    }
  }

  function start() {
    flushing ??= flush().finally(() => {
      flushing = undefined;
    });
  }

  return {
    mark(updateId) {
      toMark.push(updateId);
      start();
    },
    waiting: () => toMark.length,
    async stop(graceMs) {
      deadline = Date.now() + graceMs;
      stopping.abort(); // a pause in progress ends: one more try now
      await flushing;
      if (toMark.length > 0) {
        start();
        await flushing;
      }
      if (toMark.length > 0)
        log.warn(
          { updates: toMark.length },
          'could not mark updates handled before stopping; the next start handles them again (unless too old)',
        );
    },
  };
}
