// The run's visible effects — likes, follows, comments, searches — kept in a ledger outside the
// engine (the run's row): the engine records each one through claim() BEFORE performing it and
// performs it only when the record was granted, so a run does at most its targets however many
// attempts it takes. A crash between the record and the click loses that one effect, never doubles it.
import { emptyCounters, type WarmupCounters } from './outcome.ts';
import type { RunTargets } from './plan.ts';

export const EFFECT_KINDS = ['likes', 'follows', 'comments', 'searches'] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

/**
 * `granted`: recorded — perform it now. `refused`: the run has all of these already, or this
 * attempt no longer owns the run — perform no more of them. `unrecorded`: the record could not be
 * written (the database is away) — do not perform it now; a later item may try again.
 */
export type Claim = 'granted' | 'refused' | 'unrecorded';

export type EffectLedger = {
  /** The run's targets, drawn once for the run. */
  targets: RunTargets;
  /** What earlier attempts did: their recorded effects, and watching as their counters last said. */
  done: WarmupCounters;
  /** Records one effect before it is performed; resolves once the record is written (or not). */
  claim(kind: EffectKind): Promise<Claim>;
};

/** A ledger in memory for a session outside any run (tests, benches): nothing done before it. */
export function createLocalLedger(targets: RunTargets): EffectLedger {
  const recorded: Record<EffectKind, number> = { likes: 0, follows: 0, comments: 0, searches: 0 };
  return {
    targets,
    done: emptyCounters(),
    async claim(kind) {
      if (recorded[kind] >= targets[kind]) return 'refused';
      recorded[kind]++;
      return 'granted';
    },
  };
}

/** Whether earlier attempts did anything (the session then resumes the run rather than starts it). */
export function resumes(ledger: EffectLedger): boolean {
  return Object.values(ledger.done).some((n) => n > 0);
}
