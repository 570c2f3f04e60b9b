// What a refused restart says, for every caller that restarts a task (/restart, its buttons,
// /account's Restart last): one sentence per refusal reason of restartTask.

import type { RestartResult } from '../../../tasks/restart-task.ts';
import type { Texts } from '../../i18n/index.ts';

export function restartRefusal(
  t: Texts,
  taskId: number,
  result: Exclude<RestartResult, { ok: true }>,
): string {
  switch (result.reason) {
    case 'not_found':
      return t.notFound(taskId);
    case 'nothing_failed':
      return t.restartNothingFailed(taskId);
    case 'none_healthy':
      return t.nextSteps.noneHealthy(taskId);
    case 'busy':
      return t.restartBusy(taskId, t.why[result.status]);
  }
}
