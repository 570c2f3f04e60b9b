// A run's log, written line by line as the session goes (a crash keeps what was written), in
// order, without making the browser wait on the database. Lines land only while this attempt
// owns the run.
import type { Db } from '../db/client.ts';
import { appendRunLog, type RunFence } from '../db/runs-repo.ts';
import type { Logger } from '../logger.ts';

export function createRunLog(db: Db, fence: RunFence, log: Logger) {
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<unknown>) => {
    chain = chain
      .then(async () => {
        await work();
      })
      .catch((err) => log.warn({ err, runId: fence.runId }, 'could not write the run log'));
  };
  return {
    enqueue,
    write(line: string) {
      enqueue(() => appendRunLog(db, fence, line));
    },
    flush: () => chain,
  };
}
