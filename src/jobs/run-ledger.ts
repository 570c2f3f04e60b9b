// A run's effect ledger on the database, for the engine (src/warmup/effects.ts): the targets drawn
// once for the run — at its first attempt, from the settings that attempt runs with (the task's,
// with its platform's numbers and daily caps) — what its earlier attempts did, and each like,
// follow, comment and search recorded under this attempt's fence and account lease before the
// engine performs it.
import type { Db } from '../db/client.ts';
import type { Lease } from '../db/leases-repo.ts';
import { claimRunEffect, fixRunPlan, type RunFence } from '../db/runs-repo.ts';
import type { RunRow } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { runTotals } from '../tasks/run-session.ts';
import type { EffectLedger, WarmupCounters } from '../warmup/engine.ts';
import { emptyCounters } from '../warmup/outcome.ts';
import { drawRunPlan, readRunPlan } from '../warmup/plan.ts';
import type { WarmupSettings } from '../warmup/settings.ts';

/** Opens the run's ledger for the settings this attempt runs with. */
export type LedgerOpener = (settings: WarmupSettings) => Promise<EffectLedger>;

/**
 * The run's ledger as it began under this attempt. Its targets are the run's plan: the stored one,
 * or — at the run's first attempt — one drawn from `settings` and stored before anything is done.
 * Rejects when the plan cannot be stored (the database is away, or the run is not this attempt's).
 */
export function runLedgerOpener(
  db: Db,
  fence: RunFence,
  lease: Lease,
  run: Pick<RunRow, 'plan' | 'counters' | 'effects'>,
  log: Logger,
): LedgerOpener {
  return async (settings) => {
    const plan = readRunPlan(run.plan) ?? readRunPlan(await fixRunPlan(db, fence, drawRunPlan(settings)));
    if (!plan) throw new Error('the run is no longer this attempt’s: its plan was not stored');
    return {
      targets: plan.targets,
      done: doneBefore(run),
      async claim(kind) {
        try {
          return (await claimRunEffect(db, fence, lease, kind)) ? 'granted' : 'refused';
        } catch (err) {
          log.warn({ err, runId: fence.runId, kind }, 'could not record an effect before it: not performed');
          return 'unrecorded';
        }
      },
    };
  };
}

function doneBefore(run: Pick<RunRow, 'counters' | 'effects'>): WarmupCounters {
  const done = emptyCounters();
  const totals = runTotals(run);
  for (const key of Object.keys(done) as (keyof WarmupCounters)[]) done[key] = totals[key] ?? 0;
  return done;
}
