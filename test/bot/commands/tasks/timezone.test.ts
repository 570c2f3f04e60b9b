// TIMEZONE through the whole bot: /task, read in the chat, shows the team's time with its zone
// (Moscow here) and how long ago the task started and finished; /list says when each task last
// changed. Both languages, real telegraf against the fake Bot API.
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { tasks } from '../../../../src/db/schema.ts';
import { people, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { makeTask } from '../../../support/fixtures.ts';

const database = useTestDatabase();
const bot = useChatBot(database, { timeZone: 'Europe/Moscow' });

it('/task shows Moscow time with the zone, and how long ago it started and finished', async () => {
  const { db } = database();
  const { task } = await makeTask(db, ['completed', 'failed']);
  // 09:58 UTC is 12:58 in Moscow; started 20 and finished 10 minutes before now.
  await db
    .update(tasks)
    .set({
      createdAt: new Date('2026-12-01T09:58:00Z'),
      startedAt: sql`now() - interval '20 minutes 30 seconds'`,
      completedAt: sql`now() - interval '10 minutes 30 seconds'`,
    })
    .where(eq(tasks.id, task.id));
  const ru = (await bot.ask(people.viewer, `/task ${task.id}`)).split('\n');
  expect(ru).toContain('Создана: 01.12.2026, 12:58 GMT+3');
  expect(ru.find((l) => l.startsWith('Начата: '))).toMatch(
    /^Начата: \d\d\.\d\d\.\d{4}, \d\d:\d\d GMT\+3 \(20 мин\. назад\)$/,
  );
  expect(ru.find((l) => l.startsWith('Завершена: '))).toMatch(/ GMT\+3 \(10 мин\. назад\)$/);
  const en = (await bot.ask(people.operator, `/task ${task.id}`)).split('\n');
  expect(en).toContain('Created: 1 Dec 2026, 12:58 GMT+3');
  expect(en.find((l) => l.startsWith('Started: '))).toMatch(
    /^Started: \d{1,2} \w{3,4} \d{4}, \d\d:\d\d GMT\+3 \(20 min\. ago\)$/,
  );
});

it('/list says when each task last changed', async () => {
  const { db } = database();
  const { task } = await makeTask(db, ['completed']);
  await db
    .update(tasks)
    .set({ updatedAt: sql`now() - interval '3 hours 5 minutes'` })
    .where(eq(tasks.id, task.id));
  const ru = await bot.ask(people.viewer, '/list');
  expect(ru).toContain(`#${task.id} ${task.name} — завершена · 3 ч назад`);
  const en = await bot.ask(people.operator, '/list');
  expect(en).toContain(`#${task.id} ${task.name} — completed · 3 hr. ago`);
});
