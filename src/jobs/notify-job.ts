// Consumes the notification queue: a job is done once its event is recorded in the chat's outbox
// (the bot's per-chat lanes deliver from there), so a job is quick, and an expired or retried
// one records nothing twice (the job id is the outbox key). Runs in the bot process.
import type { Job } from 'pg-boss';
import type { Logger } from '../logger.ts';
import { withSafeErrors } from '../safe-error.ts';
import { type TaskEvent, taskEventSchema } from '../tasks/events.ts';
import type { Boss } from './boss.ts';
import { QUEUES } from './queues.ts';

export async function startNotificationWorker(deps: {
  boss: Boss;
  record: (event: TaskEvent, jobId: string) => Promise<void>;
  log: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const { boss } = deps.boss;
  const log = deps.log.child({ component: 'notifications' });
  await boss.work(
    QUEUES.notify,
    // Recording is one insert: take jobs in batches, in the order they were sent. A failed batch
    // is retried whole, which is harmless since recording a job twice changes nothing.
    { batchSize: 50, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5 },
    withSafeErrors(async (jobs: Job<unknown>[]) => {
      for (const job of jobs) {
        const parsed = taskEventSchema.safeParse(job.data);
        if (!parsed.success) log.error({ jobId: job.id }, 'malformed notification dropped');
        else await deps.record(parsed.data as TaskEvent, job.id);
      }
    }),
  );
  await boss.work(QUEUES.notifyDead, async ([job]: Job<unknown>[]) => {
    log.error({ jobId: job?.id }, 'a notification could not be recorded after every retry');
  });
  return {
    async stop() {
      await boss.offWork(QUEUES.notify, { wait: true });
      await boss.offWork(QUEUES.notifyDead);
    },
  };
}
