// The question before a restart that cannot fully work: which accounts of the runs it would reset
// cannot be warmed now and why, with "Restart the healthy ones" (when some are healthy) and
// "Restart anyway". Undefined when every such account is healthy (or the task is not restartable).
import { taskRunAccounts } from '../../../db/accounts-repo.ts';
import type { Db } from '../../../db/client.ts';
import { findTask } from '../../../db/tasks-repo.ts';
import { canApply } from '../../../tasks/lifecycle.ts';
import { cannotWarm, resetFrom } from '../../../tasks/restart-task.ts';
import { escapeHtml } from '../../shared/text-budget.ts';
import { formatHealth } from '../../shared/wording.ts';
import type { BotContext } from '../context.ts';
import { restartAnywayKeyboard } from './keyboard.ts';

/**
 * The warning when a restart would reset runs of accounts that cannot be warmed now: which and
 * why, with "Restart the healthy ones" (when some are healthy) and "Restart anyway".
 */
export async function restartWarning(db: Db, ctx: BotContext, taskId: number, scope: 'all' | 'failed') {
  const task = await findTask(db, taskId);
  if (!task || !canApply('restart', task.status)) return undefined;
  const from = resetFrom(scope);
  const reset = (await taskRunAccounts(db, taskId)).filter((r) => from.includes(r.status));
  const unwell = reset.filter(cannotWarm);
  if (unwell.length === 0) return undefined;
  const healthy = reset.length - unwell.length;
  const lines = unwell.map((a) => {
    const why =
      a.removedAt !== null
        ? ctx.t.fleet.remove.removedLine
        : a.health === 'ok' || a.health === 'unknown'
          ? ctx.t.nextSteps.quarantined
          : formatHealth(ctx.t, a.health);
    return ctx.t.restartWarningLine(escapeHtml(a.username), why);
  });
  return {
    text: `${ctx.t.restartWarning(taskId, lines.join('\n'))}\n${ctx.t.nextSteps.warningChoice(healthy)}`,
    ...restartAnywayKeyboard(ctx.t, taskId, scope, healthy > 0),
  };
}
