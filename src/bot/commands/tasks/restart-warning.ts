// The question before a restart that cannot fully work: which accounts of the runs it would reset
// cannot be warmed now and why (as many as fit one message, the rest counted), with "Restart the
// healthy ones" (when some are healthy) and "Restart anyway". Undefined when every such account
// is healthy (or the task is not restartable).
import { taskRunAccounts } from '../../../db/accounts-repo.ts';
import type { Db } from '../../../db/client.ts';
import { findTask } from '../../../db/tasks-repo.ts';
import { canApply } from '../../../tasks/lifecycle.ts';
import { cannotWarm, resetFrom } from '../../../tasks/restart-task.ts';
import type { Texts } from '../../i18n/index.ts';
import { clip, fitLines, MAX_TEXT } from '../../shared/text-budget.ts';
import { formatHealth } from '../../shared/wording.ts';
import type { BotContext } from '../context.ts';
import { ACCOUNT_MAX } from './card.ts';
import { restartAnywayKeyboard } from './keyboard.ts';

export type UnwellAccount = { username: string; health: string; removedAt?: Date | null };

/** The warning's text: a line per account that cannot be warmed, folded with "…and N more". */
export function formatRestartWarning(
  t: Texts,
  taskId: number,
  unwell: readonly UnwellAccount[],
  healthy: number,
): string {
  const body = unwell.map((a) => {
    // An account whose health is fine is here because a person paused it (or removed it).
    const why = a.removedAt
      ? t.fleet.remove.removedLine
      : a.health === 'ok' || a.health === 'unknown'
        ? t.nextSteps.quarantined
        : formatHealth(t, a.health);
    return t.restartWarningLine(clip(a.username, ACCOUNT_MAX), why);
  });
  return fitLines({
    head: [t.restartWarning(taskId)],
    body,
    tail: [t.nextSteps.warningChoice(healthy)],
    max: MAX_TEXT,
    more: t.task.more,
  });
}

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
  return {
    text: formatRestartWarning(ctx.t, taskId, unwell, healthy),
    ...restartAnywayKeyboard(ctx.t, taskId, scope, healthy > 0),
  };
}
