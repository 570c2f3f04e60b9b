// The programme and slot moves applied to real rows: each move from each status through the one
// conditional update, what it writes (status, updated_at, settled_at, skip_reason, the planned slots a
// stop skips) and what it asks of the slot's programme and account.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { moveSlot } from '../../../src/db/programme-moves-repo.ts';
import { insertProgramme, insertSlots } from '../../../src/db/programmes-repo.ts';
import { accounts, programmeSlots, programmes } from '../../../src/db/schema.ts';
import { applyProgrammeMove } from '../../../src/tasks/programmes/manage.ts';
import {
  canMoveProgramme,
  canMoveSlot,
  PROGRAMME_MOVES,
  PROGRAMME_STATUSES,
  type ProgrammeMoveName,
  type ProgrammeStatus,
  SLOT_MOVES,
  SLOT_STATUSES,
  type SlotMoveName,
  type SlotStatus,
} from '../../../src/tasks/programmes/states.ts';
import { useTestDatabase } from '../../support/db.ts';
import { makeAccounts } from '../../support/fixtures.ts';

const database = useTestDatabase();
const LONG_AGO = new Date('2020-01-01T00:00:00Z');
const NOW = new Date('2026-05-01T10:00:00Z');
let seq = 0;

/** A programme in `status` (updated long ago) with one planned and one created slot of one account. */
async function makeProgramme(status: ProgrammeStatus) {
  const { db } = database();
  const [accountId] = await makeAccounts(db, 1, `moves${++seq}x`);
  const programme = await insertProgramme(
    db,
    {
      name: `moves ${seq}`,
      ramp: ['observer', 'observer'],
      windows: [{ from: 600, until: 780 }],
      timeZone: 'UTC',
      sessionsMin: 1,
      sessionsMax: 2,
      minGapMinutes: 30,
      startDate: '2026-05-01',
      seed: 7,
      chatId: 500,
      createdBy: 1,
      createdAt: LONG_AGO,
    },
    [accountId!],
  );
  if (!programme) throw new Error('programme insert failed');
  await db.update(programmes).set({ status, updatedAt: LONG_AGO }).where(eq(programmes.id, programme.id));
  const slot = (seqNo: number) => ({
    programmeId: programme.id,
    accountId: accountId!,
    day: 1,
    seq: seqNo,
    preset: 'observer',
    dueAt: NOW,
    windowEndsAt: new Date(NOW.getTime() + 3_600_000),
  });
  await insertSlots(db, [slot(1), slot(2)]);
  const [planned, created] = await slotsOf(programme.id);
  await db
    .update(programmeSlots)
    .set({ status: 'created', settledAt: LONG_AGO })
    .where(eq(programmeSlots.id, created!.id));
  return { id: programme.id, accountId: accountId!, plannedId: planned!.id, createdId: created!.id };
}

const slotsOf = (programmeId: number) =>
  database()
    .db.select()
    .from(programmeSlots)
    .where(eq(programmeSlots.programmeId, programmeId))
    .orderBy(programmeSlots.seq);

const programmeRow = async (id: number) =>
  (await database().db.select().from(programmes).where(eq(programmes.id, id)))[0]!;

describe('programme moves on real rows', () => {
  for (const name of Object.keys(PROGRAMME_MOVES) as ProgrammeMoveName[]) {
    it(`${name} applies exactly from ${PROGRAMME_MOVES[name].from.join('/')}, and does to the slots what the table says`, async () => {
      const { db } = database();
      for (const status of PROGRAMME_STATUSES) {
        const p = await makeProgramme(status);
        const before = await programmeRow(p.id);
        const slotsBefore = await slotsOf(p.id);
        const moved = await applyProgrammeMove(db, { id: p.id, move: name, now: NOW });
        const after = await programmeRow(p.id);
        const slotsAfter = await slotsOf(p.id);
        if (!canMoveProgramme(name, status)) {
          expect(moved, `${name} from ${status}`).toBeUndefined();
          expect(after).toEqual(before);
          expect(slotsAfter).toEqual(slotsBefore);
          continue;
        }
        expect(moved?.id, `${name} from ${status}`).toBe(p.id);
        expect(after.status).toBe(PROGRAMME_MOVES[name].to);
        expect(after.updatedAt.getTime()).toBeGreaterThan(LONG_AGO.getTime());
        const [planned, created] = slotsAfter;
        // A slot that became its task stays as it was, whatever the move.
        expect(created).toEqual(slotsBefore[1]);
        const reason = PROGRAMME_MOVES[name].plannedSlots;
        if (reason === 'keep') expect(planned).toEqual(slotsBefore[0]);
        else expect(planned).toMatchObject({ status: 'skipped', skipReason: reason, settledAt: NOW });
      }
    });
  }
});

describe('slot moves on real rows', () => {
  for (const name of Object.keys(SLOT_MOVES) as SlotMoveName[]) {
    it(`${name} applies exactly from ${SLOT_MOVES[name].from.join('/')} and writes what the table says`, async () => {
      const { db } = database();
      for (const status of SLOT_STATUSES) {
        const p = await makeProgramme('active');
        await db
          .update(programmeSlots)
          .set({ status: status as SlotStatus, settledAt: status === 'planned' ? null : LONG_AGO })
          .where(eq(programmeSlots.id, p.plannedId));
        const [before] = await slotsOf(p.id);
        const moved = await moveSlot(db, p.plannedId, SLOT_MOVES[name], { at: NOW, reason: 'paused' });
        const [after] = await slotsOf(p.id);
        if (!canMoveSlot(name, status)) {
          expect(moved, `${name} from ${status}`).toBeUndefined();
          expect(after).toEqual(before);
          continue;
        }
        expect(moved?.id).toBe(p.plannedId);
        expect(after).toMatchObject({
          status: SLOT_MOVES[name].to,
          settledAt: NOW,
          skipReason: SLOT_MOVES[name].skipReason === 'set' ? 'paused' : before!.skipReason,
        });
      }
    });
  }

  it('create asks for an active programme and a free account; skip asks for neither', async () => {
    const { db } = database();
    for (const status of PROGRAMME_STATUSES) {
      for (const quarantined of [false, true]) {
        const p = await makeProgramme(status);
        if (quarantined) {
          await db
            .update(accounts)
            .set({ quarantinedAt: NOW, quarantineReason: 'captcha' })
            .where(eq(accounts.id, p.accountId));
        }
        const created = await moveSlot(db, p.plannedId, SLOT_MOVES.create, { at: NOW });
        const expected = status === 'active' && !quarantined;
        expect(created !== undefined, `create under ${status}, quarantined ${quarantined}`).toBe(expected);
        if (!expected) {
          const skipped = await moveSlot(db, p.plannedId, SLOT_MOVES.skip, { at: NOW, reason: 'missed' });
          expect(skipped, `skip under ${status}, quarantined ${quarantined}`).toMatchObject({
            status: 'skipped',
          });
        }
      }
    }
  });

  it('a move without a clock takes the database’s; a move that writes a reason refuses to run without one', async () => {
    const { db } = database();
    const p = await makeProgramme('active');
    await expect(moveSlot(db, p.plannedId, SLOT_MOVES.skip)).rejects.toThrow(/needs its reason/);
    const [before] = await db.execute<{ ms: number }>(sql`select extract(epoch from now()) * 1000 as ms`);
    const moved = await moveSlot(db, p.plannedId, SLOT_MOVES.skip, { reason: 'removed' });
    expect(moved?.settledAt?.getTime()).toBeGreaterThanOrEqual(Math.floor(Number(before!.ms)));
    expect(moved?.skipReason).toBe('removed');
  });
});
