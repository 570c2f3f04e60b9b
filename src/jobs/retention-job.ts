// The daily retention job (pg-boss schedule, one runner per cluster): our own tables lose what
// is past its age. pg-boss deletes its finished jobs itself (deleteAfterSeconds on each queue,
// from the same settings; see queues.ts).
import type { Db } from '../db/client.ts';
import { deleteExpired, type RetentionReport } from '../db/retention-repo.ts';
import type { Logger } from '../logger.ts';

export type RetentionDays = { logLines: number; screenshots: number; audit: number; jobs: number };

/** What a user would expect to find still there; each is configurable (README, docs/operations.md). */
export const DEFAULT_RETENTION_DAYS: RetentionDays = { logLines: 30, screenshots: 30, audit: 180, jobs: 7 };

/** Every day at 03:17 (UTC): a quiet hour, off the full hour that other schedules crowd. */
export const RETENTION_CRON = '17 3 * * *';

const DAY_MS = 24 * 3600 * 1000;

export async function applyRetention(
  deps: { db: Db; log: Logger; days: RetentionDays },
  now: Date = new Date(),
): Promise<RetentionReport> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const report = await deleteExpired(deps.db, {
    logLines: before(deps.days.logLines),
    screenshots: before(deps.days.screenshots),
    audit: before(deps.days.audit),
  });
  deps.log.info({ deleted: report, days: deps.days }, 'retention applied');
  return report;
}
