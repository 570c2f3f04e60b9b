// The programme and slot state machines as data: every move from every status, what each move sets,
// and which move a due slot takes. The expectations are written out here, not read from the table.
import { describe, expect, it } from 'vitest';
import {
  canMoveProgramme,
  canMoveSlot,
  dueSlotMove,
  isLive,
  PROGRAMME_MOVES,
  PROGRAMME_STATUSES,
  type ProgrammeMoveName,
  type ProgrammeStatus,
  SKIP_REASONS,
  SLOT_MOVES,
  SLOT_STATUSES,
  type SlotMoveName,
  type SlotStatus,
} from '../../../src/tasks/programmes/states.ts';

const programmeAllowed: Record<ProgrammeMoveName, ProgrammeStatus[]> = {
  pause: ['active'],
  resume: ['paused'],
  stop: ['active', 'paused'],
  finish: ['active', 'paused'],
};

const slotAllowed: Record<SlotMoveName, SlotStatus[]> = {
  create: ['planned'],
  skip: ['planned'],
};

describe('programme moves', () => {
  it('the table has exactly these moves', () => {
    expect(Object.keys(PROGRAMME_MOVES).sort()).toEqual(Object.keys(programmeAllowed).sort());
  });

  for (const name of Object.keys(programmeAllowed) as ProgrammeMoveName[]) {
    for (const status of PROGRAMME_STATUSES) {
      const expected = programmeAllowed[name].includes(status);
      it(`${name} from ${status} is ${expected ? 'allowed' : 'refused'}`, () => {
        expect(canMoveProgramme(name, status)).toBe(expected);
      });
    }
  }

  it('each move lands where its name says, and only stop skips the planned slots (as "stopped")', () => {
    expect(PROGRAMME_MOVES.pause).toMatchObject({ to: 'paused', plannedSlots: 'keep' });
    expect(PROGRAMME_MOVES.resume).toMatchObject({ to: 'active', plannedSlots: 'keep' });
    expect(PROGRAMME_MOVES.stop).toMatchObject({ to: 'stopped', plannedSlots: 'stopped' });
    expect(PROGRAMME_MOVES.finish).toMatchObject({ to: 'finished', plannedSlots: 'keep' });
  });

  it('stopped and finished are final; active and paused are live', () => {
    for (const status of PROGRAMME_STATUSES) {
      const final = status === 'stopped' || status === 'finished';
      const movesOut = (Object.keys(PROGRAMME_MOVES) as ProgrammeMoveName[]).filter((n) =>
        canMoveProgramme(n, status),
      );
      expect(movesOut.length === 0, status).toBe(final);
      expect(isLive(status), status).toBe(!final);
    }
  });
});

describe('slot moves', () => {
  it('the table has exactly these moves', () => {
    expect(Object.keys(SLOT_MOVES).sort()).toEqual(Object.keys(slotAllowed).sort());
  });

  for (const name of Object.keys(slotAllowed) as SlotMoveName[]) {
    for (const status of SLOT_STATUSES) {
      const expected = slotAllowed[name].includes(status);
      it(`${name} from ${status} is ${expected ? 'allowed' : 'refused'}`, () => {
        expect(canMoveSlot(name, status)).toBe(expected);
      });
    }
  }

  it('create stamps settled_at, keeps the reason, and wants an active programme and a free account', () => {
    expect(SLOT_MOVES.create).toEqual({
      from: ['planned'],
      to: 'created',
      settledAt: 'now',
      skipReason: 'keep',
      programmeIn: ['active'],
      accountFree: true,
    });
  });

  it('skip stamps settled_at and writes its reason, whatever the programme and account', () => {
    expect(SLOT_MOVES.skip).toEqual({
      from: ['planned'],
      to: 'skipped',
      settledAt: 'now',
      skipReason: 'set',
    });
  });

  it('created and skipped are final', () => {
    for (const status of ['created', 'skipped'] as const) {
      for (const name of Object.keys(SLOT_MOVES) as SlotMoveName[])
        expect(canMoveSlot(name, status)).toBe(false);
    }
  });

  it('the reasons a slot is skipped for', () => {
    expect([...SKIP_REASONS].sort()).toEqual(['missed', 'paused', 'quarantined', 'removed', 'stopped']);
  });
});

describe('the move a due slot takes', () => {
  const now = new Date('2026-05-01T10:00:00Z');
  const open = new Date(now.getTime() + 60_000);
  const closed = new Date(now.getTime() - 1);
  for (const windowEndsAt of [open, closed, now]) {
    for (const quarantined of [false, true]) {
      for (const programme of ['active', 'paused'] as const) {
        const expected =
          windowEndsAt === closed
            ? { name: 'skip', reason: 'missed' }
            : quarantined
              ? { name: 'skip', reason: 'quarantined' }
              : programme === 'paused'
                ? { name: 'skip', reason: 'paused' }
                : { name: 'create' };
        const window = windowEndsAt === open ? 'open' : windowEndsAt === closed ? 'closed' : 'closing now';
        it(`window ${window}, ${quarantined ? 'quarantined' : 'free'} account, ${programme} → ${expected.name}${'reason' in expected ? ` (${expected.reason})` : ''}`, () => {
          expect(dueSlotMove({ now, windowEndsAt, quarantined, programme })).toEqual(expected);
        });
      }
    }
  }
});
