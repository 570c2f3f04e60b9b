// Retention against a real database: rows past their age go, younger ones stay — run log lines,
// failure screenshots, the audit trail — and every queue tells pg-boss how long to keep jobs.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, runLogLines, runScreenshots } from '../../src/db/schema.ts';
import { type Boss, startBoss } from '../../src/jobs/boss.ts';
import { QUEUES } from '../../src/jobs/queues.ts';
import { applyRetention, DEFAULT_RETENTION_DAYS } from '../../src/jobs/retention-job.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeTask } from '../support/fixtures.ts';
import { startTestBoss, testLog } from '../support/jobs.ts';
import { tinyPng } from '../support/png.ts';

const database = useTestDatabase();
let boss: Boss;
beforeAll(async () => {
  boss = await startTestBoss(database(), { jobRetentionSeconds: 3 * 24 * 3600 });
});
afterAll(async () => {
  await boss?.boss.stop({ graceful: false, timeout: 1000 });
});

// The job runs against a fixed "now", so ages are exact and nothing depends on the wall clock.
const now = new Date('2026-06-15T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 3600 * 1000);

describe('retention', () => {
  it('removes what is past its age and nothing else', async () => {
    const { db } = database();
    const { task, runs } = await makeTask(db, ['failed', 'failed', 'completed']);
    const [oldRun, youngRun, other] = runs.map((r) => r.id) as [number, number, number];
    await db.insert(runLogLines).values([
      { runId: oldRun, runNumber: 1, line: 'old', at: daysAgo(31) },
      { runId: oldRun, runNumber: 1, line: 'young', at: daysAgo(29) },
      { runId: other, runNumber: 1, line: 'today', at: now },
    ]);
    await db.insert(runScreenshots).values([
      { runId: oldRun, runNumber: 1, png: tinyPng(), takenAt: daysAgo(30.5) },
      { runId: youngRun, runNumber: 1, png: tinyPng(), takenAt: daysAgo(29.5) },
    ]);
    await db.insert(auditLog).values([
      { actorId: 1, action: 'old', taskId: task.id, at: daysAgo(181) },
      { actorId: 1, action: 'young', taskId: task.id, at: daysAgo(179) },
    ]);

    const report = await applyRetention({ db, log: testLog, days: DEFAULT_RETENTION_DAYS }, now);
    expect(report).toEqual({ logLines: 1, screenshots: 1, audit: 1 });
    const lines = await db.select({ line: runLogLines.line }).from(runLogLines);
    expect(lines.map((l) => l.line).sort()).toEqual(['today', 'young']);
    const shots = await db.select({ runId: runScreenshots.runId }).from(runScreenshots);
    expect(shots.map((s) => s.runId)).toEqual([youngRun]);
    const audit = await db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.taskId, task.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['young']);

    // A second pass finds nothing more to do.
    expect(await applyRetention({ db, log: testLog, days: DEFAULT_RETENTION_DAYS }, now)).toEqual({
      logLines: 0,
      screenshots: 0,
      audit: 0,
    });
  });

  it('deletes in batches beyond one batch’s size', async () => {
    const { db } = database();
    const { runs } = await makeTask(db, ['completed']);
    await db.execute(
      sql`insert into run_log_lines (run_id, run_number, line, at)
          select ${runs[0]!.id}, 1, 'bulk', ${daysAgo(40).toISOString()}::timestamptz from generate_series(1, 12001)`,
    );
    const report = await applyRetention({ db, log: testLog, days: DEFAULT_RETENTION_DAYS }, now);
    expect(report.logLines).toBe(12001);
  });

  it('every queue keeps finished jobs for the configured time; check answers (screenshots) an hour', async () => {
    for (const name of Object.values(QUEUES)) {
      const expected = name === QUEUES.checkAnswer ? 3600 : 3 * 24 * 3600;
      expect((await boss.boss.getQueue(name))?.deleteAfterSeconds, name).toBe(expected);
    }
  });

  it('a worker process schedules the reconciler each minute, retention nightly and the programme tick each minute', async () => {
    // As main.ts starts pg-boss for the workers (schedule on, by default); startTestBoss schedules nothing.
    const scheduling = await startBoss({ url: database().url, log: testLog, max: 2 });
    try {
      const schedules = await scheduling.boss.getSchedules();
      expect(schedules.map((s) => [s.name, s.cron]).sort()).toEqual(
        [
          [QUEUES.reconcile, '* * * * *'],
          [QUEUES.retention, '17 3 * * *'],
          [QUEUES.programmes, '* * * * *'],
        ].sort(),
      );
    } finally {
      await scheduling.boss.stop({ graceful: false, timeout: 1000 });
    }
  });
});
