// A run's effect ledger on the database, for the engine (src/warmup/effects.ts): the targets drawn
// when the run first began, what its earlier attempts did, and each like, follow, comment and
// search recorded under this attempt's fence and account lease before the engine performs it.
import type { Db } from '../db/client.ts';
import type { Lease } from '../db/leases-repo.ts';
import { claimRunEffect, type RunFence, releaseRunEffect } from '../db/runs-repo.ts';
import type { RunRow } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { runTotals } from '../tasks/run-session.ts';
import type { EffectLedger, WarmupCounters } from '../warmup/engine.ts';
import { emptyCounters } from '../warmup/outcome.ts';
import { readRunPlan } from '../warmup/plan.ts';

/** The ledger of the run as it began under this attempt; undefined when it has no plan (bad settings). */
export function createRunLedger(
  db: Db,
  fence: RunFence,
  lease: Lease,
  run: Pick<RunRow, 'plan' | 'counters' | 'effects'>,
  log: Logger,
): EffectLedger | undefined {
  const plan = readRunPlan(run.plan);
  if (!plan) return undefined;
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
    async release(kind) {
      // Unreleased, the run does one fewer of these: never one more.
      await releaseRunEffect(db, fence, kind).catch((err) =>
        log.warn({ err, runId: fence.runId, kind }, 'could not give back an effect that did not happen'),
      );
    },
  };
}

function doneBefore(run: Pick<RunRow, 'counters' | 'effects'>): WarmupCounters {
  const done = emptyCounters();
  const totals = runTotals(run);
  for (const key of Object.keys(done) as (keyof WarmupCounters)[]) done[key] = totals[key] ?? 0;
  return done;
}
