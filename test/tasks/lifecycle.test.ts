import { describe, expect, it } from 'vitest';
import {
  canApply,
  deriveTaskStatus,
  isFinished,
  refusalReason,
  STATUSES,
  type Status,
  TRANSITIONS,
  type TransitionName,
  transitionTowards,
} from '../../src/tasks/lifecycle.ts';

const allowed: Record<TransitionName, Status[]> = {
  start: ['pending'],
  complete: ['running'],
  fail: ['pending', 'running'],
  cancel: ['pending', 'running'],
  requeue: ['running'],
  restart: ['completed', 'failed', 'cancelled'],
};

describe('lifecycle transitions', () => {
  for (const name of Object.keys(TRANSITIONS) as TransitionName[]) {
    for (const status of STATUSES) {
      const expected = allowed[name].includes(status);
      it(`${name} from ${status} is ${expected ? 'allowed' : 'refused'}`, () => {
        expect(canApply(name, status)).toBe(expected);
        expect(refusalReason(name, status) === undefined).toBe(expected);
      });
    }
  }

  it('restart clears both timestamps; finishing stamps completion and keeps the start', () => {
    expect(TRANSITIONS.restart).toMatchObject({ to: 'pending', startedAt: 'clear', completedAt: 'clear' });
    expect(TRANSITIONS.start).toMatchObject({ to: 'running', startedAt: 'now', completedAt: 'clear' });
    for (const name of ['complete', 'fail', 'cancel'] as const) {
      expect(TRANSITIONS[name]).toMatchObject({ startedAt: 'keep', completedAt: 'now' });
      expect(isFinished(TRANSITIONS[name].to)).toBe(true);
    }
  });

  it('explains refused restarts and cancels in words', () => {
    expect(refusalReason('restart', 'pending')).toBe('it is already queued');
    expect(refusalReason('restart', 'running')).toBe('it is still running');
    expect(refusalReason('cancel', 'completed')).toBe('it has already completed');
    expect(refusalReason('cancel', 'cancelled')).toBe('it has already been cancelled');
  });
});

describe('task status derived from runs', () => {
  const cases: [Status[], Status][] = [
    [['pending', 'pending'], 'pending'],
    [['running', 'pending'], 'running'],
    [['completed', 'pending'], 'running'],
    [['completed', 'running', 'failed'], 'running'],
    [['completed', 'completed'], 'completed'],
    [['completed', 'failed', 'completed'], 'failed'],
    [['failed', 'cancelled'], 'failed'],
    [['completed', 'cancelled'], 'cancelled'],
    [[], 'completed'],
  ];
  const current = (statuses: Status[]) => statuses.map((status) => ({ status, current: true }));
  for (const [runs, expected] of cases) {
    it(`[${runs.join(', ')}] → ${expected}`, () => expect(deriveTaskStatus(current(runs))).toBe(expected));
  }

  it('a task restarted for its failed runs stays pending until one of them starts', () => {
    const kept = { status: 'completed', current: false } as const;
    expect(deriveTaskStatus([kept, { status: 'pending', current: true }])).toBe('pending');
    expect(deriveTaskStatus([kept, { status: 'running', current: true }])).toBe('running');
    expect(
      deriveTaskStatus([kept, { status: 'completed', current: true }, { status: 'pending', current: true }]),
    ).toBe('running');
  });

  it('finds the transition towards a derived status, never a restart or requeue', () => {
    expect(transitionTowards('pending', 'running')).toBe('start');
    expect(transitionTowards('running', 'completed')).toBe('complete');
    expect(transitionTowards('running', 'failed')).toBe('fail');
    expect(transitionTowards('pending', 'failed')).toBe('fail');
    expect(transitionTowards('running', 'pending')).toBeUndefined();
    expect(transitionTowards('cancelled', 'failed')).toBeUndefined();
    expect(transitionTowards('completed', 'completed')).toBeUndefined();
  });
});
