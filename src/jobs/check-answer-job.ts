// Consumes check answers in the bot process (the worker never calls Telegram): each job is one
// message to the chat that asked. A malformed answer is dropped with a log line.
import type { Job } from 'pg-boss';
import type { Logger } from '../logger.ts';
import { withSafeErrors } from '../safe-error.ts';
import type { Boss } from './boss.ts';
import { type CheckAnswer, checkAnswerPayload, QUEUES } from './queues.ts';

export async function startCheckAnswerWorker(deps: {
  boss: Boss;
  send: (answer: CheckAnswer) => Promise<void>;
  log: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const { boss } = deps.boss;
  const log = deps.log.child({ component: 'check-answers' });
  await boss.work(
    QUEUES.checkAnswer,
    { pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5 },
    withSafeErrors(async ([job]: Job<unknown>[]) => {
      const parsed = checkAnswerPayload.safeParse(job?.data);
      if (!parsed.success) {
        log.error({ jobId: job?.id }, 'malformed check answer dropped');
        return;
      }
      await deps.send(parsed.data);
    }),
  );
  return {
    async stop() {
      await boss.offWork(QUEUES.checkAnswer, { wait: true });
    },
  };
}
