// Restart and cancel as a person asks for them, by command or by a task's button: the use case
// called for the actor and chat, and the answer chosen (done, or the refusal). The buttons' handler
// is here too: Details and Refresh show, the rest act (operators only; a plain restart of a task
// with unhealthy accounts asks first).
import { cancelTask } from '../../../tasks/cancel-task.ts';
import { isHealthyScope, type RestartScope, restartTask } from '../../../tasks/restart-task.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import type { TaskAction } from './keyboard.ts';
import { restartRefusal } from './restart-refusal.ts';
import { restartWarning } from './restart-warning.ts';
import { showTask } from './task-views.ts';

/** What each restart button restarts; the plain ones ask first when accounts are unhealthy. */
const SCOPE_OF: Partial<Record<TaskAction, RestartScope>> = {
  restart: 'all',
  restartFailed: 'failed',
  restartAnyway: 'all',
  restartFailedAnyway: 'failed',
  restartHealthy: 'healthy',
  restartFailedHealthy: 'failedHealthy',
};

export async function restartAs(
  { db, jobs }: BotDeps,
  ctx: BotContext,
  taskId: number,
  scope: RestartScope,
): Promise<{ refusal?: string; done: string }> {
  const result = await restartTask(db, jobs, {
    taskId,
    scope,
    actorId: ctx.actor.id,
    chatId: ctx.chat?.id ?? null,
  });
  const done = ctx.t.restarted(taskId);
  if (result.ok) {
    const healthy = isHealthyScope(scope);
    return { done: healthy ? ctx.t.nextSteps.restartedHealthy(taskId, result.runs.length) : done };
  }
  return { refusal: restartRefusal(ctx.t, taskId, result), done };
}

/** Undefined when cancelled; otherwise the sentence saying why not. */
export async function cancelAs({ db, jobs }: BotDeps, ctx: BotContext, taskId: number) {
  const result = await cancelTask(db, jobs, { taskId, actorId: ctx.actor.id });
  if (result.ok) return undefined;
  if (result.reason === 'not_found') return ctx.t.notFound(taskId);
  return ctx.t.cancelRefused(taskId, ctx.t.why[result.status]);
}

/** A tap on one of a task's buttons, already decoded. */
export async function onTaskButton(
  deps: BotDeps,
  ctx: BotContext,
  { action, taskId }: { action: TaskAction; taskId: number },
) {
  const { db } = deps;
  const changes = action !== 'details' && action !== 'refresh';
  if (changes && !(await requireRole(ctx, db, 'operator', action))) return;
  if (action === 'details' || action === 'refresh') {
    await ctx.answerCbQuery();
    await showTask(db, ctx, taskId, action === 'refresh');
    return;
  }
  const scope = SCOPE_OF[action];
  if (action === 'restart' || action === 'restartFailed') {
    const warning = await restartWarning(db, ctx, taskId, action === 'restart' ? 'all' : 'failed');
    if (warning) {
      await ctx.answerCbQuery();
      await ctx.reply(warning.text, { parse_mode: 'HTML', reply_markup: warning.reply_markup });
      return;
    }
  }
  const { refusal, done } = scope
    ? await restartAs(deps, ctx, taskId, scope)
    : { refusal: await cancelAs(deps, ctx, taskId), done: ctx.t.cancelled(taskId) };
  await ctx.answerCbQuery(refusal ?? done, refusal ? { show_alert: true } : {});
}
