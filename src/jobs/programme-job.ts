// The programme scheduler's job: pg-boss runs it every minute on one worker of the cluster
// (a singleton queue, scheduled in boss.ts); it calls the tick with the real clock. Any number of
// ticks at once are safe anyway: slots are keyed and claimed by conditional updates.
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { JobPort } from '../tasks/ports.ts';
import { type TickDeps, type TickReport, tickProgrammes } from '../tasks/programmes/scheduler.ts';

/** Every minute: a slot's time is a whole minute, so it starts within a minute of it. */
export const PROGRAMME_TICK_CRON = '* * * * *';

export function createProgrammeTick(deps: {
  db: Db;
  jobs: JobPort;
  log: Logger;
  now?: () => Date;
  rampOf?: TickDeps['rampOf'];
}) {
  const log = deps.log.child({ component: 'programmes' });
  return (): Promise<TickReport> =>
    tickProgrammes({
      db: deps.db,
      jobs: deps.jobs,
      log,
      now: deps.now?.() ?? new Date(),
      rampOf: deps.rampOf,
    });
}
