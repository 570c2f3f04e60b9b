// Membership changes of a programme against real rows, at once: each is checked and written under the
// programme's row lock, so two changes never pass each other's checks — the last member stays.
import { and, eq, isNull } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { programmeAccounts } from '../../../src/db/schema.ts';
import { changeMember, createProgramme } from '../../../src/tasks/programmes/manage.ts';
import { parseProgrammeSpec } from '../../../src/tasks/programmes/spec.ts';
import { useTestDatabase, waitForLockWaits } from '../../support/db.ts';
import { makeAccounts } from '../../support/fixtures.ts';

const database = useTestDatabase();
const now = new Date('2027-01-10T09:00:00Z');
let seq = 0;

/** A live programme of `members` fresh accounts, starting in a month; their names. */
async function programmeOf(members: number) {
  const { db } = database();
  const prefix = `member${++seq}x`;
  await makeAccounts(db, members, prefix);
  const names = Array.from({ length: members }, (_, i) => `${prefix}${i + 1}`);
  const parsed = parseProgrammeSpec(
    `name=p${seq} accounts=${names.join(',')} days=3 ramp=observer window=08:00-12:00 sessions=1 start=2027-02-10`,
    { now, defaultTimeZone: 'UTC' },
  );
  if (!parsed.ok) throw new Error(parsed.problem.code);
  const created = await createProgramme(db, { spec: parsed.spec, chatId: 10, actorId: 1, now, seed: 5 });
  if (!created.ok) throw new Error(created.problem);
  return { id: created.programme.id, names };
}

const liveMembers = async (programmeId: number) =>
  (
    await database()
      .db.select()
      .from(programmeAccounts)
      .where(and(eq(programmeAccounts.programmeId, programmeId), isNull(programmeAccounts.untilDay)))
  ).length;

it('two removals at once of a programme’s last two members: one is removed, the last one stays', async () => {
  const { db, sql } = database();
  const { id, names } = await programmeOf(2);
  // The programme's row held by another transaction, so that both removals are under way together.
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = sql.begin(async (tx) => {
    await tx`select id from programmes where id = ${id} for update`;
    locked();
    await held;
  });
  await isLocked;
  const removing = Promise.all(
    names.map((username) => changeMember(db, { id, username, change: 'remove', actorId: 1, now })),
  );
  // Both wait for the programme's row: neither has looked at the members yet.
  await waitForLockWaits(db, 2);
  release();
  await holder;
  const results = await removing;
  expect(results.map((r) => (r.ok ? 'removed' : r.problem)).sort()).toEqual(['lastAccount', 'removed']);
  expect(await liveMembers(id)).toBe(1);
});
