// Task events for the chat: a snapshot of what a message needs (id, name, status, runs ok/failed,
// duration, reasons, screenshot, who acted), built in the transaction that caused it.
import { z } from 'zod';
import type { Executor } from '../db/client.ts';
import { quarantinesByRuns } from '../db/quarantine-repo.ts';
import type { TaskRow } from '../db/schema.ts';
import { runOutcomes, runsWithScreenshot } from '../db/task-events-repo.ts';
import { STATUSES, type Status, TASK_EVENT_TYPES, type TaskEventType } from '../db/vocabulary.ts';

export { TASK_EVENT_TYPES, type TaskEventType } from '../db/vocabulary.ts';

export type RunCounts = Record<Status, number> & { total: number };

export type TaskEvent = {
  type: TaskEventType;
  taskId: number;
  taskName: string;
  runNumber: number;
  status: Status;
  chatId: number | null;
  actorId: number | null;
  runs: RunCounts;
  startedAt: string | null;
  completedAt: string | null;
  /** started → completed (or → now while running), in milliseconds. */
  durationMs: number | null;
  /**
   * Up to five failed runs with their reason (and the account's platform when it names one; absent
   * in events from before platforms); the first one's screenshot, when there is one.
   */
  failures: {
    runId: number;
    account: string;
    platform?: string | null;
    code: string | null;
    message: string | null;
  }[];
  screenshotRunId: number | null;
  /**
   * The accounts whose run in this run number ended in their quarantine (said once: a later
   * failure of an account already quarantined does not quarantine it again). Absent in events
   * from before quarantines existed.
   */
  quarantined?: { runId: number; accountId: number; account: string; reason: string }[];
  at: string;
};

export async function buildTaskEvent(
  exec: Executor,
  task: TaskRow,
  type: TaskEventType,
  actorId: number | null = null,
): Promise<TaskEvent> {
  const rows = await runOutcomes(exec, task.id);
  const counts: RunCounts = {
    pending: 0,
    running: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    total: rows.length,
  };
  for (const r of rows) counts[r.status]++;
  const allFailed = rows.filter((r) => r.status === 'failed');
  const quarantined =
    type === 'failed'
      ? await quarantinesByRuns(
          exec,
          allFailed.map((f) => f.id),
        )
      : [];
  // The runs that quarantined an account come first: their reason and screenshot matter most.
  const first = new Set(quarantined.map((q) => q.runId));
  const failed = [
    ...allFailed.filter((f) => first.has(f.id)),
    ...allFailed.filter((f) => !first.has(f.id)),
  ].slice(0, 5);
  const shots = await runsWithScreenshot(
    exec,
    failed.map((f) => f.id),
    task.runNumber,
  );
  const now = new Date();
  const end = task.completedAt ?? (task.startedAt ? now : null);
  return {
    type,
    taskId: task.id,
    taskName: task.name,
    runNumber: task.runNumber,
    status: task.status,
    chatId: task.chatId,
    actorId,
    runs: counts,
    startedAt: task.startedAt?.toISOString() ?? null,
    completedAt: task.completedAt?.toISOString() ?? null,
    durationMs: task.startedAt && end ? Math.max(0, end.getTime() - task.startedAt.getTime()) : null,
    failures: failed.map((f) => ({
      runId: f.id,
      account: f.account,
      platform: f.platform,
      code: f.code,
      message: f.message,
    })),
    screenshotRunId: failed.find((f) => shots.includes(f.id))?.id ?? null,
    quarantined,
    at: now.toISOString(),
  };
}

/** Loose shape check for events read back from the queue (written by us; may predate a deploy). */
export const taskEventSchema = z.looseObject({
  type: z.enum(TASK_EVENT_TYPES),
  taskId: z.number().int().positive(),
  taskName: z.string(),
  runNumber: z.number().int().positive(),
  status: z.enum(STATUSES),
  chatId: z.number().nullable(),
  actorId: z.number().nullable(),
  runs: z.looseObject({
    total: z.number(),
    completed: z.number(),
    failed: z.number(),
    cancelled: z.number(),
  }),
  durationMs: z.number().nullable(),
  failures: z.array(
    z.looseObject({ account: z.string(), code: z.string().nullable(), message: z.string().nullable() }),
  ),
  screenshotRunId: z.number().nullable(),
  quarantined: z
    .array(
      z.looseObject({ runId: z.number(), accountId: z.number(), account: z.string(), reason: z.string() }),
    )
    .optional(),
});
