// A chat's batch of task events sorted into what is worth sending, per task: the start (a new live
// message), the latest progress (an edit of it) and the end. Newest state wins: news older than
// the task's current state (restarted since, or already ended) is set aside as stale, unsent.
import type { Db } from '../../../db/client.ts';
import type { TaskRow } from '../../../db/schema.ts';
import { findTask } from '../../../db/tasks-repo.ts';
import type { TaskEvent } from '../../../tasks/events.ts';
import { isFinished, type Status } from '../../../tasks/lifecycle.ts';
import type { PendingEvent } from '../../notifications/notifier-port.ts';

/** One message's worth: the outbox entries it settles, the event it tells, its task as read now. */
export type NoticeItem = { ids: number[]; event: TaskEvent; task: TaskRow; zone: string };

export type NoticeLanes = {
  starts: Map<number, NoticeItem>;
  progress: Map<number, NoticeItem>;
  finals: NoticeItem[];
  /** Outbox entries that say nothing the chat needs any more. */
  stale: number[];
};

const LIVE = new Set(['restarted', 'started', 'progress']);

export async function sortIntoLanes(db: Db, pending: PendingEvent[], zone: string): Promise<NoticeLanes> {
  const lanes = await readLanes(db, pending, zone);
  dropEnded(lanes);
  return lanes;
}

/** Within the batch progress is folded: the latest start and the latest progress of a task say it all. */
async function readLanes(db: Db, pending: PendingEvent[], zone: string): Promise<NoticeLanes> {
  const lanes: NoticeLanes = { starts: new Map(), progress: new Map(), finals: [], stale: [] };
  const tasksNow = new Map<number, TaskRow | undefined>();
  for (const { id, event } of pending) {
    if (!tasksNow.has(event.taskId)) tasksNow.set(event.taskId, await findTask(db, event.taskId));
    const task = tasksNow.get(event.taskId);
    if (!task || task.runNumber !== event.runNumber)
      lanes.stale.push(id); // restarted since
    else if (!LIVE.has(event.type)) lanes.finals.push({ ids: [id], event, task, zone });
    else {
      const into = event.type === 'progress' ? lanes.progress : lanes.starts;
      // "restarted" then "started": the latter says it all; the latest progress says it all.
      const before = into.get(task.id);
      if (before) lanes.stale.push(...before.ids);
      into.set(task.id, { ids: [id], event, task, zone });
    }
  }
  return lanes;
}

/**
 * A start or progress of a task that has ended (its end in this batch, or already sent) says
 * nothing the end does not: it must not reopen the task.
 */
function dropEnded(lanes: NoticeLanes): void {
  const ending = new Set(lanes.finals.map((f) => f.task.id));
  for (const into of [lanes.starts, lanes.progress]) {
    for (const [taskId, item] of into) {
      const over = ending.has(taskId) || isFinished(item.task.status as Status);
      if (over || (into === lanes.progress && item.task.status !== 'running')) {
        lanes.stale.push(...item.ids);
        into.delete(taskId);
      }
    }
  }
}
