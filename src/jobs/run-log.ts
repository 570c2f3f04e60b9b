// A run's log, written line by line as the session goes (a crash keeps what was written), in
// order, without making the browser wait on the database.
import type { Db } from '../db/client.ts';
import { appendRunLog } from '../db/runs-repo.ts';
import type { Logger } from '../logger.ts';
import type { RunRef } from '../tasks/run-session.ts';

export function createRunLog(db: Db, ref: RunRef, log: Logger) {
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>) => {
    chain = chain
      .then(work)
      .catch((err) => log.warn({ err, runId: ref.runId }, 'could not write the run log'));
  };
  return {
    enqueue,
    write(line: string) {
      enqueue(() => appendRunLog(db, ref.runId, ref.runNumber, line));
    },
    flush: () => chain,
  };
}
