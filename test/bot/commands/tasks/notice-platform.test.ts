// A failure notice says which platform a failed account is on when the account names one (a task
// may mix platforms); an account on the deployment's default platform reads as before.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { formatTaskEvent } from '../../../../src/bot/commands/tasks/card.ts';
import { textsFor } from '../../../../src/bot/i18n/index.ts';
import { accounts, runs } from '../../../../src/db/schema.ts';
import { buildTaskEvent } from '../../../../src/tasks/events.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { makeTask } from '../../../support/fixtures.ts';

const database = useTestDatabase();

it('names the platform of each failed account that has one', async () => {
  const { db } = database();
  const { task, runs: made } = await makeTask(db, ['failed', 'failed'], 'failed');
  await db.update(runs).set({ reasonCode: 'selector_missing' }).where(eq(runs.taskId, task.id));
  await db.update(accounts).set({ platform: 'instagram' }).where(eq(accounts.id, made[0]!.accountId));
  const event = await buildTaskEvent(db, task, 'failed');
  const [first, second] = await Promise.all(
    made.map(
      async (r) => (await db.select().from(accounts).where(eq(accounts.id, r.accountId)))[0]!.username,
    ),
  );
  expect(event.failures.map((f) => [f.account, f.platform])).toEqual([
    [first, 'instagram'],
    [second, null],
  ]);
  const text = formatTaskEvent(textsFor('en'), event, undefined);
  expect(text).toContain(`• ${first} (instagram): `);
  expect(text).toContain(`• ${second}: `);
});
