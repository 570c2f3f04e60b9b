// Retention: deletes run log lines, failure screenshots and audit entries older than their
// cutoff, in batches so that no delete holds its locks for long. Nothing younger is touched.
import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { auditLog, runLogLines, runScreenshots } from './schema.ts';

export type RetentionCutoffs = { logLines: Date; screenshots: Date; audit: Date };
export type RetentionReport = { logLines: number; screenshots: number; audit: number };

const BATCH = 5000;

async function deleteInBatches(batch: () => ReturnType<Executor['execute']>) {
  let total = 0;
  for (;;) {
    const rows = await batch();
    total += rows.length;
    if (rows.length < BATCH) return total;
  }
}

export async function deleteExpired(exec: Executor, cutoffs: RetentionCutoffs): Promise<RetentionReport> {
  const logLines = await deleteInBatches(() =>
    exec.execute(sql`delete from ${runLogLines} where id in (
      select id from ${runLogLines} where ${runLogLines.at} < ${cutoffs.logLines.toISOString()} limit ${BATCH}
    ) returning id`),
  );
  const screenshots = await deleteInBatches(() =>
    exec.execute(sql`delete from ${runScreenshots} where run_id in (
      select run_id from ${runScreenshots} where ${runScreenshots.takenAt} < ${cutoffs.screenshots.toISOString()} limit ${BATCH}
    ) returning run_id`),
  );
  const audit = await deleteInBatches(() =>
    exec.execute(sql`delete from ${auditLog} where id in (
      select id from ${auditLog} where ${auditLog.at} < ${cutoffs.audit.toISOString()} limit ${BATCH}
    ) returning id`),
  );
  return { logLines, screenshots, audit };
}
