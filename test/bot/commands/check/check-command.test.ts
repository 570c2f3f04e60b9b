// /check when queuing the check fails: the operator still gets an answer (the error boundary's
// "something went wrong"), not silence, and nothing is audited as checked.
import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { people, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { makeAccounts } from '../../../support/fixtures.ts';

const database = useTestDatabase();
const bot = useChatBot(database);

beforeAll(async () => {
  // Its JobPort refuses every check request (recordingJobs.requestCheck throws).
});

it('answers "something went wrong" in the reader\'s language when the handler throws', async () => {
  const { db } = database();
  const [id] = await makeAccounts(db, 1, 'lonely');
  const [account] = await db.select().from(accounts).where(eq(accounts.id, id!));
  expect(await bot.ask(people.operator, `/check ${account!.username}`)).toBe(
    'Something went wrong on our side. Try again in a moment.',
  );
  const ru = { ...people.operator, language_code: 'ru' };
  expect(await bot.ask(ru, `/check ${account!.username}`)).toBe(
    'У нас что-то пошло не так. Попробуйте ещё раз через минуту.',
  );
  const audited = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'account.check'), eq(auditLog.actorId, people.operator.id)));
  expect(audited).toEqual([]);
});

it('answers a Check tap the same way', async () => {
  const { db } = database();
  const [id] = await makeAccounts(db, 1, 'tapped');
  const [account] = await db.select().from(accounts).where(eq(accounts.id, id!));
  expect(await bot.tap(people.operator, `k:${account!.username}`, 1)).toBe(
    'Something went wrong on our side. Try again in a moment.',
  );
});
