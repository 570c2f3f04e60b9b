// The one lifecycle shared by every task kind and every per-account run: statuses, the allowed
// transitions, and the timestamps each transition sets or clears. Pure; repositories apply it
// as conditional UPDATEs (src/db/lifecycle-repo.ts).

import type { Status } from '../db/vocabulary.ts';

// Declared once in src/db/vocabulary.ts (the schema's CHECK constraints come from the same list).
export { isStatus, STATUSES, type Status } from '../db/vocabulary.ts';

export const FINISHED_STATUSES = ['completed', 'failed', 'cancelled'] as const satisfies readonly Status[];
export type FinishedStatus = (typeof FINISHED_STATUSES)[number];

/** What a transition does to a timestamp: stamp it with now(), clear it, or leave it alone. */
export type StampEffect = 'now' | 'clear' | 'keep';

export type Transition = {
  readonly from: readonly Status[];
  readonly to: Status;
  readonly startedAt: StampEffect;
  readonly completedAt: StampEffect;
};

export const TRANSITIONS = {
  start: { from: ['pending'], to: 'running', startedAt: 'now', completedAt: 'clear' },
  complete: { from: ['running'], to: 'completed', startedAt: 'keep', completedAt: 'now' },
  // A run can fail before it ever started (its session never began: the job expired in the queue).
  fail: { from: ['pending', 'running'], to: 'failed', startedAt: 'keep', completedAt: 'now' },
  cancel: { from: ['pending', 'running'], to: 'cancelled', startedAt: 'keep', completedAt: 'now' },
  // A worker handing a run back (deploy, lost heartbeat with retries left) returns it to the queue.
  requeue: { from: ['running'], to: 'pending', startedAt: 'clear', completedAt: 'clear' },
  restart: { from: FINISHED_STATUSES, to: 'pending', startedAt: 'clear', completedAt: 'clear' },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

export function isFinished(status: Status): status is FinishedStatus {
  return (FINISHED_STATUSES as readonly Status[]).includes(status);
}

export function canApply(name: TransitionName, from: Status): boolean {
  return (TRANSITIONS[name].from as readonly Status[]).includes(from);
}

/** Why a transition does not apply to a row in `status`, in words a user can act on. */
export function refusalReason(name: TransitionName, status: Status): string | undefined {
  if (canApply(name, status)) return undefined;
  if (name === 'restart') {
    return status === 'pending' ? 'it is already queued' : 'it is still running';
  }
  if (name === 'cancel') return `it has already ${status === 'cancelled' ? 'been cancelled' : status}`;
  return `it is ${status}`;
}

/** A run as the task's status sees it: its status, and whether it belongs to the task's current run number. */
export type RunState = { status: Status; current: boolean };

/**
 * A task's status follows from its runs: RUNNING while any run is running (or some of this run
 * number finished while others wait), PENDING while none of this run number has started — runs
 * kept from before a "restart failed" do not make a queued task look running — and once all are
 * finished: COMPLETED when every run completed, FAILED when at least one failed, CANCELLED when
 * the rest were cancelled.
 */
export function deriveTaskStatus(states: readonly RunState[]): Status {
  if (states.length === 0) return 'completed';
  const runs = states.map((r) => r.status);
  const count = (s: Status) => runs.filter((r) => r === s).length;
  if (count('running') > 0) return 'running';
  const unfinished = count('pending');
  if (unfinished > 0) {
    const current = states.filter((r) => r.current);
    return current.every((r) => r.status === 'pending') ? 'pending' : 'running';
  }
  if (count('failed') > 0) return 'failed';
  if (count('cancelled') > 0) return 'cancelled';
  return 'completed';
}

/** The transition that takes a task from `current` to `target`, when there is one. */
export function transitionTowards(current: Status, target: Status): TransitionName | undefined {
  if (current === target) return undefined;
  for (const [name, t] of Object.entries(TRANSITIONS) as [TransitionName, Transition][]) {
    if (t.to === target && t.from.includes(current) && name !== 'restart' && name !== 'requeue') return name;
  }
  return undefined;
}
