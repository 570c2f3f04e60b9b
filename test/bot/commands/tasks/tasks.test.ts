// Task commands and buttons through real telegraf and the fake Bot API: bad input gets a short
// specific answer and changes nothing; access is enforced on commands and taps alike.
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, auditLog, runs, tasks } from '../../../../src/db/schema.ts';
import { people, useBotHarness } from '../../../support/bot.ts';
import { askIn, buttonsOf, commandTestThrottle, tapIn } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { makeTask } from '../../../support/fixtures.ts';

const database = useTestDatabase();
const h = useBotHarness(database, { wiring: { budget: { throttle: commandTestThrottle() } } });

const ask = (from: (typeof people)[keyof typeof people], text: string) => askIn(h.fake, from, text);
const tap = (from: (typeof people)[keyof typeof people], data: string, messageId = 1) =>
  tapIn(h.fake, from, data, messageId);

// Other tests' notifications may arrive in the operator's chat too: a reply is found by its start.
const saidToOperator = (start: string) =>
  h.fake.waitFor(() => h.fake.messages(people.operator.id).find((m) => String(m.text).startsWith(start)));

async function snapshot() {
  const { db } = database();
  const rows = await db.select().from(tasks).orderBy(tasks.id);
  const [audit] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(sql`${auditLog.action} not like 'access.%'`);
  return { rows, audit: audit?.n };
}

describe('bad input', () => {
  it.each([
    ['/restart', 'Usage: /restart <task id> [failed]'],
    ['/restart abc', '"abc" is not a task id'],
    ['/restart -1', '"-1" is not a task id'],
    ['/restart 99999999999999999999', '"99999999999999999999" is not a task id'],
    ['/restart 999999', 'There is no task #999999'],
    ['/restart 1 bogus', '"bogus" is not a restart scope'],
    ['/cancel', 'Usage: /cancel <task id>'],
    ['/cancel 12x', '"12x" is not a task id'],
    ['/task', 'Usage: /task <task id>'],
    ['/task 999999', 'There is no task #999999'],
    ['/list everything', 'Usage: /list'],
    ['/frobnicate', 'I do not know that command'],
  ])('%s → %s', async (command, expected) => {
    const { task } = await makeTask(database().db, ['completed']);
    const before = await snapshot();
    const reply = await ask(people.operator, command.replace(' 1 ', ` ${task.id} `));
    expect(reply).toContain(expected);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['r:abc'],
    ['r:999999'],
    ['zz:1'],
    ['r:0'],
    ['x'.repeat(64)],
    ['l:all:0'],
    ['l:all:2:a0'],
    ['l:all:2:c5'],
    ['l:all:2:a99999999999'],
    ['r:2147483648'],
  ])('forged callback %s is answered and changes nothing', async (data) => {
    const before = await snapshot();
    const answer = await tap(people.operator, data);
    expect(answer).toMatch(/not valid|no task/i);
    expect(await snapshot()).toEqual(before);
  });
});

describe('restart and cancel', () => {
  it('restarts a finished task once; a second restart is told it is already queued', async () => {
    const { task } = await makeTask(database().db, ['completed', 'failed']);
    h.fake.sendText({ from: people.operator, text: `/restart ${task.id} failed` });
    const card = await h.fake.waitFor(() =>
      h.fake.messages(people.operator.id).find((m) => String(m.text).includes(`#${task.id}`)),
    );
    expect(card.text).toContain('Restarted by @bob');
    expect(await ask(people.admin, `/restart ${task.id}`)).toBe(
      `Task #${task.id} was not restarted: it is already queued.`,
    );
    const [row] = await database().db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row).toMatchObject({
      status: 'pending',
      runNumber: task.runNumber + 1,
      restartedBy: people.operator.id,
    });
  });

  it('a double tap on Restart restarts once and answers both taps', async () => {
    const { task } = await makeTask(database().db, ['failed']);
    const [first, second] = await Promise.all([
      tap(people.operator, `r:${task.id}`),
      tap(people.admin, `r:${task.id}`),
    ]);
    const answers = [first, second].sort();
    expect(answers).toEqual(
      [`Task #${task.id} restarted.`, `Task #${task.id} was not restarted: it is already queued.`].sort(),
    );
    const [row] = await database().db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row!.runNumber).toBe(task.runNumber + 1);
  });

  it('a restart of a task with logged-out or blocked accounts asks first; "Restart anyway" restarts', async () => {
    const { db } = database();
    const { task, runs: taskRuns } = await makeTask(db, ['failed', 'failed', 'completed']);
    const [a, b] = taskRuns.map((r) => r.accountId);
    await db.update(accounts).set({ health: 'logged_out' }).where(eq(accounts.id, a!));
    await db.update(accounts).set({ health: 'blocked' }).where(eq(accounts.id, b!));
    const names = await db
      .select()
      .from(accounts)
      .where(inArray(accounts.id, [a!, b!]))
      .orderBy(accounts.username);
    // Only this task's row: other tests' notifications may still touch theirs meanwhile.
    const mine = async () => (await db.select().from(tasks).where(eq(tasks.id, task.id)))[0];
    const before = await mine();

    h.fake.sendText({ from: people.operator, text: `/restart ${task.id}` });
    const warning = await saidToOperator(`Task #${task.id} was not restarted yet`);
    expect(String(warning.text).split('\n')).toEqual([
      `Task #${task.id} was not restarted yet: these accounts cannot be warmed up now.`,
      ...names.map((n) => `• @${n.username} — ${n.id === a ? 'logged out' : 'blocked'}`),
      'Fix them first, restart only the healthy ones (1 account), or restart anyway.',
    ]);
    expect(buttonsOf(warning)).toEqual([
      ['🔁 Restart the healthy ones', `rh:${task.id}`],
      ['🔁 Restart anyway', `ra:${task.id}`],
    ]);
    // The Restart button of the failure notice asks the same, in the tapper's language.
    expect(await tapIn(h.fake, { ...people.operator, language_code: 'ru' }, `rf:${task.id}`, 1)).toBe('');
    const ru = await saidToOperator(`Задача #${task.id} пока не перезапущена`);
    expect(String(ru.text)).toContain(`Задача #${task.id} пока не перезапущена`);
    expect(String(ru.text)).toContain('вышел из аккаунта');
    // Both failed runs are of unhealthy accounts: there is nothing healthy to restart.
    expect(String(ru.text)).toContain('Сейчас не прогреть ни один из аккаунтов');
    expect(buttonsOf(ru)).toEqual([['🔁 Упавшие всё равно', `rfa:${task.id}`]]);
    expect(await mine()).toEqual(before);

    expect(await tap(people.viewer, `ra:${task.id}`)).toBe('Ваша роль (наблюдатель) этого не позволяет.');
    expect(await tap(people.operator, `ra:${task.id}`)).toBe(`Task #${task.id} restarted.`);
    const [row] = await db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row).toMatchObject({ status: 'pending', runNumber: task.runNumber + 1 });
  });

  it('"Restart the healthy ones" restarts exactly the runs of healthy accounts, leaving the others', async () => {
    const { db } = database();
    const { task, runs: before } = await makeTask(db, ['failed', 'completed', 'failed']);
    const [out, , held] = before.map((r) => r.accountId);
    await db.update(accounts).set({ health: 'logged_out' }).where(eq(accounts.id, out!));
    const [gone] = await db.select().from(accounts).where(eq(accounts.id, out!));
    h.fake.sendText({ from: people.operator, text: `/restart ${task.id}` });
    const warning = await saidToOperator(`Task #${task.id} was not restarted yet`);
    expect(String(warning.text).split('\n')).toEqual([
      `Task #${task.id} was not restarted yet: these accounts cannot be warmed up now.`,
      `• @${gone!.username} — logged out`,
      'Fix them first, restart only the healthy ones (2 accounts), or restart anyway.',
    ]);
    expect(buttonsOf(warning)[0]).toEqual(['🔁 Restart the healthy ones', `rh:${task.id}`]);

    // A quarantined account counts as unhealthy whatever its health says.
    await db.update(accounts).set({ quarantinedAt: new Date() }).where(eq(accounts.id, held!));
    const ru = { ...people.operator, language_code: 'ru' };
    expect(await tapIn(h.fake, ru, `r:${task.id}`, 1)).toBe('');
    const ruWarning = await saidToOperator(`Задача #${task.id} пока не перезапущена`);
    expect(String(ruWarning.text)).toContain('на паузе, пока его не возобновят');
    expect(String(ruWarning.text)).toContain('перезапустите только исправные (1 аккаунт)');
    await db.update(accounts).set({ quarantinedAt: null }).where(eq(accounts.id, held!));

    expect(await tap(people.viewer, `rh:${task.id}`)).toBe('Ваша роль (наблюдатель) этого не позволяет.');
    expect(await tap(people.operator, `rh:${task.id}`)).toBe(`Task #${task.id} restarted for 2 accounts.`);
    const after = await db.select().from(runs).where(eq(runs.taskId, task.id)).orderBy(runs.id);
    const [row] = await db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row).toMatchObject({ status: 'pending', runNumber: task.runNumber + 1 });
    // The logged-out account's run is left exactly as it was; the two others start again.
    expect(after[0]).toEqual(before[0]);
    expect(after.slice(1).map((r) => [r.status, r.runNumber, r.startedAt, r.completedAt])).toEqual([
      ['pending', row!.runNumber, null, null],
      ['pending', row!.runNumber, null, null],
    ]);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.taskId, task.id), eq(auditLog.action, 'task.restart_healthy')));
    expect(audit?.details).toMatchObject({ runs: [before[1]!.id, before[2]!.id] });
    // The same button again: the task is queued now.
    expect(await tap(people.operator, `rh:${task.id}`)).toBe(
      `Task #${task.id} was not restarted: it is already queued.`,
    );
  });

  it('when every account is logged out it warns and offers only "Restart anyway"; a stale "healthy" tap restarts nothing', async () => {
    const { db } = database();
    const { task, runs: taskRuns } = await makeTask(db, ['failed', 'failed']);
    await db
      .update(accounts)
      .set({ health: 'logged_out' })
      .where(
        inArray(
          accounts.id,
          taskRuns.map((r) => r.accountId),
        ),
      );
    h.fake.sendText({ from: people.operator, text: `/restart ${task.id}` });
    const warning = await saidToOperator(`Task #${task.id} was not restarted yet`);
    expect(String(warning.text)).toContain('None of the accounts can be warmed up now');
    expect(buttonsOf(warning)).toEqual([['🔁 Restart anyway', `ra:${task.id}`]]);
    const mine = async () => (await db.select().from(tasks).where(eq(tasks.id, task.id)))[0];
    const before = await mine();
    expect(await tap(people.operator, `rh:${task.id}`)).toBe(
      `Task #${task.id} was not restarted: none of its accounts can be warmed up now. See /task ${task.id}.`,
    );
    expect(await tap(people.operator, `rfh:${task.id}`)).toContain('none of its accounts');
    expect(await tap(people.operator, 'rh:abc')).toMatch(/not valid/);
    expect(await tap(people.operator, 'rh:0')).toMatch(/not valid/);
    expect(await tap(people.operator, 'rh:999999')).toBe(
      'There is no task #999999. Send /list to see the tasks.',
    );
    expect(await mine()).toEqual(before);
  });

  it('cancel ends a queued task and announces it once', async () => {
    const { task } = await makeTask(database().db, ['pending', 'pending']);
    await database().db.update(tasks).set({ chatId: people.operator.id }).where(eq(tasks.id, task.id));
    h.fake.sendText({ from: people.operator, text: `/cancel ${task.id}` });
    const msg = await h.fake.waitFor(() =>
      h.fake
        .messages(people.operator.id)
        .find((m) => String(m.text).includes(`#${task.id}`) && String(m.text).includes('cancelled')),
    );
    expect(msg.text).toContain('Cancelled by @bob');
    expect(await ask(people.operator, `/cancel ${task.id}`)).toBe(
      `Task #${task.id} was not cancelled: it has already been cancelled.`,
    );
  });
});

describe('access', () => {
  it('a stranger gets only the refusal with their id, and an audit line', async () => {
    const reply = await ask(people.stranger, '/list');
    expect(reply).toBe(
      `This bot is private. Your Telegram id is ${people.stranger.id}; ask an admin to grant you access.`,
    );
    const rows = await database().db.select().from(auditLog).where(eq(auditLog.actorId, people.stranger.id));
    expect(rows.map((r) => r.action)).toContain('access.denied');
  });

  it("a viewer's Restart tap is refused, changes nothing, and is audited", async () => {
    const { task } = await makeTask(database().db, ['failed']);
    const before = await snapshot();
    const answer = await tap(people.viewer, `r:${task.id}`);
    expect(answer).toBe('Ваша роль (наблюдатель) этого не позволяет.');
    expect(await snapshot()).toEqual(before);
    const rows = await database().db.select().from(auditLog).where(eq(auditLog.actorId, people.viewer.id));
    expect(rows.map((r) => r.action)).toContain('access.forbidden');
  });

  it('a viewer may list and read tasks, in Russian', async () => {
    const { task } = await makeTask(database().db, ['completed']);
    expect(await ask(people.viewer, '/list')).toContain('Задачи — страница 1');
    expect(await ask(people.viewer, `/task ${task.id}`)).toContain(`#${task.id}`);
  });
});

describe('list and details', () => {
  it('each line counts the failed accounts of that task', async () => {
    const { task } = await makeTask(database().db, ['failed', 'completed', 'completed']);
    const reply = await ask(people.operator, '/list failed');
    expect(reply).toContain(`#${task.id} ${task.name} — failed · 1 of 3 accounts failed`);
  });

  it('pages ten at a time with ◀ ▶ by key: a task created meanwhile shifts no page', async () => {
    const made: number[] = [];
    for (let i = 0; i < 12; i++) made.push((await makeTask(database().db, ['failed'])).task.id);
    const reply = await ask(people.operator, '/list failed');
    expect(reply).toMatch(/page 1 of \d+/);
    const msg = h.fake.messages(people.operator.id).at(-1)!;
    const idsIn = (text: string) => [...text.matchAll(/#(\d+)/g)].map((m) => Number(m[1]));
    const page1 = idsIn(reply);
    expect(page1).toEqual([...made].reverse().slice(0, 10));
    const next = buttonsOf(msg).find(([text]) => text === '▶')?.[1];
    expect(next).toBe(`l:failed:2:a${page1.at(-1)}`);
    await makeTask(database().db, ['failed']); // would push one task from page 1 to page 2 by offset
    await tap(people.operator, next!, msg.message_id);
    const page2Text = await h.fake.waitFor(() => {
      const text = String(h.fake.message(people.operator.id, msg.message_id)?.text);
      return text.includes('page 2 of') && text;
    });
    const page2 = idsIn(page2Text);
    expect(page2[0]).toBeLessThan(page1.at(-1)!);
    expect(page2).toEqual(expect.arrayContaining([made[1], made[0]]));
    const back = buttonsOf(h.fake.message(people.operator.id, msg.message_id)).find(([t]) => t === '◀')?.[1];
    expect(back).toBe(`l:failed:1:b${page2[0]}`);
    await tap(people.operator, back!, msg.message_id);
    await h.fake.waitFor(() => {
      const text = String(h.fake.message(people.operator.id, msg.message_id)?.text);
      return text.includes('page 1 of') && idsIn(text).join() === page1.join();
    });
  });

  it('an old button without a key still pages by number', async () => {
    const reply = await ask(people.operator, '/list failed');
    const msg = h.fake.messages(people.operator.id).at(-1)!;
    await tap(people.operator, 'l:failed:2', msg.message_id);
    await h.fake.waitFor(() =>
      String(h.fake.message(people.operator.id, msg.message_id)?.text).includes('page 2 of'),
    );
    expect(reply).toContain('page 1 of');
  });
});
