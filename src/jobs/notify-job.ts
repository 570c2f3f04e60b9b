// Consumes the notification queue and hands each task event to the notifier; a job completes
// once its message went out. Runs in the bot process only: one throttle keeps Telegram's limits.
import type { Job } from 'pg-boss';
import type { Logger } from '../logger.ts';
import { withSafeErrors } from '../safe-error.ts';
import { type TaskEvent, taskEventSchema } from '../tasks/events.ts';
import type { Boss } from './boss.ts';
import { QUEUES } from './queues.ts';

export async function startNotificationWorker(deps: {
  boss: Boss;
  deliver: (event: TaskEvent) => Promise<void>;
  log: Logger;
  /** Told of every event once its message went out (for the delivery lag metric). */
  onDelivered?: (event: TaskEvent) => void;
}): Promise<{ stop(): Promise<void> }> {
  const { boss } = deps.boss;
  const log = deps.log.child({ component: 'notifications' });
  await boss.work(
    QUEUES.notify,
    { localConcurrency: 20, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5 },
    withSafeErrors(async ([job]: Job<unknown>[]) => {
      const parsed = taskEventSchema.safeParse(job?.data);
      if (!parsed.success) {
        log.error({ jobId: job?.id }, 'malformed notification dropped');
        return;
      }
      const event = parsed.data as TaskEvent;
      await deps.deliver(event);
      deps.onDelivered?.(event);
    }),
  );
  await boss.work(QUEUES.notifyDead, async ([job]: Job<unknown>[]) => {
    log.error({ jobId: job?.id }, 'a notification could not be delivered after every retry');
  });
  return {
    async stop() {
      await boss.offWork(QUEUES.notify, { wait: true });
      await boss.offWork(QUEUES.notifyDead);
    },
  };
}
