// The audit trail: who did what to which task, when. Append-only.
import { desc, eq } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { auditLog } from './schema.ts';

export type AuditEntry = {
  actorId: number | null;
  action: string;
  taskId?: number | null;
  details?: Record<string, unknown>;
};

export async function recordAudit(exec: Executor, entry: AuditEntry): Promise<void> {
  await exec.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    taskId: entry.taskId ?? null,
    details: entry.details ?? {},
  });
}

export async function listAuditForTask(exec: Executor, taskId: number, limit = 20) {
  return exec
    .select()
    .from(auditLog)
    .where(eq(auditLog.taskId, taskId))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
