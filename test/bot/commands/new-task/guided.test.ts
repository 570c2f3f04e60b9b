// The guided /new through real telegraf, the fake Bot API and Postgres: accounts (toggles, all
// healthy, paging), preset, confirm; forged, stale and out-of-step taps each get a short answer.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDraftStore, type Draft } from '../../../../src/bot/commands/new-task/drafts.ts';
import { insertAccount } from '../../../../src/db/accounts-repo.ts';
import { accounts } from '../../../../src/db/schema.ts';
import { buttonsOf, people, taskIdIn, taskProbes, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';

const database = useTestDatabase();
const op = people.operator;
const ids: Record<string, number> = {};

const bot = useChatBot(database);

beforeAll(async () => {
  const { db } = database();
  for (const name of ['alice', 'bob', 'carol', 'dave'])
    ids[name] = (await insertAccount(db, { username: name }))!.id;
  await db.update(accounts).set({ health: 'logged_out' }).where(eq(accounts.username, 'dave'));
});

const { snapshot, taskRow, lastMessage } = taskProbes(database, bot);

describe('guided', () => {
  /** Starts a draft in the operator's chat; returns its message id. */
  async function startDraft(): Promise<number> {
    expect(await bot.ask(op, '/new')).toContain('step 1 of 3');
    return lastMessage(op.id).message_id;
  }
  const draftMessage = (id: number) => bot.fake.message(op.id, id)!;

  it('accounts, then a preset, then confirm creates the task once', async () => {
    const id = await startDraft();
    expect(buttonsOf(draftMessage(id))).toEqual([
      ['alice', `n:t:${ids.alice}`],
      ['bob', `n:t:${ids.bob}`],
      ['carol', `n:t:${ids.carol}`],
      ['⚠️ dave', `n:t:${ids.dave}`],
      ['✓ All healthy', 'n:a'],
      ['Next ▶', 'n:n'],
      ['✖ Cancel', 'n:x'],
    ]);
    expect(await bot.tap(op, `n:t:${ids.dave}`, id)).toBe('');
    expect(draftMessage(id).text).toContain('(1 of 4 selected');
    expect(buttonsOf(draftMessage(id))[3]).toEqual(['✓ ⚠️ dave', `n:t:${ids.dave}`]);
    await bot.tap(op, `n:t:${ids.dave}`, id);
    await bot.tap(op, 'n:a', id);
    expect(draftMessage(id).text).toContain('(3 of 4 selected');
    await bot.tap(op, 'n:n', id);
    expect(draftMessage(id).text).toContain('step 2 of 3: pick a preset for 3 accounts');
    expect(draftMessage(id).text).toContain('light: videos 5–10, likes 1–3, follows 0–1, comments 0');
    await bot.tap(op, 'n:p:moderate', id);
    expect(draftMessage(id).text).toBe(
      'New task, step 3 of 3: 3 accounts (alice, bob, carol), preset moderate. Create it?',
    );
    const before = await snapshot();
    const answer = await bot.tap(op, 'n:ok', id);
    const taskId = taskIdIn(answer);
    expect(answer).toBe(`Task #${taskId} created: 3 accounts, preset moderate.`);
    expect(draftMessage(id).text).toBe(answer);
    expect(buttonsOf(draftMessage(id)).map(([, data]) => data)).toEqual([
      `c:${taskId}`,
      `d:${taskId}`,
      `f:${taskId}`,
    ]);
    const { task, accountIds } = await taskRow(taskId);
    expect(task).toMatchObject({
      chatId: op.id,
      createdBy: op.id,
      settings: { likes: { min: 3, max: 6 } },
    });
    expect(accountIds).toEqual([ids.alice, ids.bob, ids.carol]);
    expect(await snapshot()).toMatchObject({ tasks: before.tasks + 1, dispatched: before.dispatched + 1 });
    // The draft is gone: a second tap on Create creates nothing.
    const after = await snapshot();
    expect(await bot.tap(op, 'n:ok', id)).toBe(
      'This draft has expired or is finished. Send /new to start again.',
    );
    expect(await snapshot()).toEqual(after);
  });

  it('forged or out-of-step taps are answered with a short sentence and change nothing', async () => {
    const id = await startDraft();
    const text = draftMessage(id).text;
    const before = await snapshot();
    const invalid = 'That button is not valid. Send /new to start again.';
    const stale = 'This draft has expired or is finished. Send /new to start again.';
    for (const [data, expected] of [
      ['n:t:999999', invalid],
      ['n:t:abc', invalid],
      ['n:p:turbo', invalid],
      ['n:p:light', invalid],
      ['n:ok', invalid],
      ['n:g:2', invalid],
      ['n:zz', invalid],
      [`n:${'x'.repeat(62)}`, invalid],
      ['n:n', 'Pick at least one account first.'],
    ] as const) {
      expect(await bot.tap(op, data, id), data).toBe(expected);
    }
    expect(await bot.tap(op, 'n:a', id + 1000)).toBe(stale);
    expect(await bot.tap(people.admin, 'n:a', id)).toBe(stale);
    expect(await bot.tap(people.viewer, 'n:a', id)).toBe('Ваша роль (наблюдатель) этого не позволяет.');
    expect(draftMessage(id).text).toBe(text);
    expect(await snapshot()).toEqual(before);
  });

  it('cancel ends the draft', async () => {
    const id = await startDraft();
    await bot.tap(op, `n:t:${ids.alice}`, id);
    const before = await snapshot();
    expect(await bot.tap(op, 'n:x', id)).toBe('');
    expect(draftMessage(id)).toMatchObject({ text: 'Cancelled; nothing was created.' });
    expect(buttonsOf(draftMessage(id))).toEqual([]);
    expect(await bot.tap(op, 'n:n', id)).toContain('expired or is finished');
    expect(await snapshot()).toEqual(before);
  });

  it('pages accounts twenty at a time', async () => {
    for (let i = 0; i < 25; i++)
      await insertAccount(database().db, { username: `page${String(i).padStart(2, '0')}` });
    const id = await startDraft();
    const toggles = () => buttonsOf(draftMessage(id)).filter(([, data]) => data?.startsWith('n:t:'));
    expect(toggles()).toHaveLength(20);
    expect(buttonsOf(draftMessage(id))).toContainEqual(['▶', 'n:g:2']);
    await bot.tap(op, 'n:g:2', id);
    expect(toggles().map(([text]) => text)).toEqual([
      'page16',
      'page17',
      'page18',
      'page19',
      'page20',
      'page21',
      'page22',
      'page23',
      'page24',
    ]);
    expect(buttonsOf(draftMessage(id))).toContainEqual(['◀', 'n:g:1']);
    expect(await bot.tap(op, 'n:g:3', id)).toBe('That button is not valid. Send /new to start again.');
  });
});

describe('draft store', () => {
  const draft = (messageId: number): Draft => ({
    messageId,
    accounts: [],
    tags: [],
    selected: new Set(),
    page: 1,
    step: 'accounts',
    preset: undefined,
  });

  it('keeps a draft per chat and user for fifteen idle minutes', () => {
    let now = 0;
    const store = createDraftStore({ now: () => now });
    store.put(1, 10, draft(5));
    store.put(1, 11, draft(6));
    expect(store.get(1, 10, 5)).toBeDefined();
    expect(store.get(1, 10, 6)).toBeUndefined();
    expect(store.get(2, 10, 5)).toBeUndefined();
    now = 14 * 60_000;
    expect(store.get(1, 10, 5)).toBeDefined(); // a tap pushes the expiry back
    now = 16 * 60_000;
    expect(store.get(1, 10, 5)).toBeDefined();
    expect(store.get(1, 11, 6)).toBeUndefined();
    now = 40 * 60_000;
    expect(store.size()).toBe(0);
  });
});
