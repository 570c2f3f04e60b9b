// What /task and /list show, as a new message or in place of the one a button was on: a task's
// details with its buttons and the steps that fix its current failures, or a page of tasks.
import type { Db } from '../../../db/client.ts';
import type { Status } from '../../../tasks/lifecycle.ts';
import { actorNames, getTaskDetails, listTasksPage, type PageCursor } from '../../../tasks/queries.ts';
import { ignoreNotModified } from '../../notifications/send-with-retry.ts';
import type { BotContext } from '../context.ts';
import { formatTaskDetails, formatTaskList } from './details.ts';
import { listKeyboard, taskKeyboard } from './keyboard.ts';
import { nextStepButtons, withNextSteps } from './next-steps.ts';

export async function showTask(db: Db, ctx: BotContext, taskId: number, edit: boolean) {
  const details = await getTaskDetails(db, taskId);
  if (!details) return ctx.reply(ctx.t.notFound(taskId));
  const names = await actorNames(db, [details.task.createdBy, details.task.restartedBy]);
  const failed = details.runs.filter((r) => r.status === 'failed').length;
  const cancelled = details.runs.filter((r) => r.status === 'cancelled').length;
  const text = formatTaskDetails(ctx.t, details, names);
  const current = details.runs.filter((r) => r.status === 'failed' && r.runNumber === details.task.runNumber);
  const steps = nextStepButtons(
    ctx.t,
    current.map((r) => ({ account: r.username, code: r.reasonCode })),
  );
  const keyboard = withNextSteps(
    taskKeyboard(ctx.t, taskId, details.task.status, { failed, cancelled }, ['details']),
    steps,
  );
  if (edit) return ctx.editMessageText(text, { parse_mode: 'HTML', ...keyboard }).catch(ignoreNotModified);
  return ctx.reply(text, { parse_mode: 'HTML', ...keyboard });
}

export async function showList(
  db: Db,
  ctx: BotContext,
  status: Status | undefined,
  page: number,
  edit: boolean,
  cursor?: PageCursor,
) {
  const result = await listTasksPage(db, {
    ...(status ? { status } : {}),
    page,
    ...(cursor ? { cursor } : {}),
  });
  const text = formatTaskList(ctx.t, result, status);
  const keyboard = listKeyboard(ctx.t, status, result);
  if (edit) return ctx.editMessageText(text, { parse_mode: 'HTML', ...keyboard }).catch(ignoreNotModified);
  return ctx.reply(text, { parse_mode: 'HTML', ...keyboard });
}
