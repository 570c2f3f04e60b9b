// Groups in /new through real telegraf, the fake Bot API and Postgres: accounts=tag:…, several tags,
// tags and names, platform:…; unknown names and tags in one sentence; the guided /new's tag buttons
// select a tag's healthy accounts in one tap (and a second tap takes them out again).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../../../src/db/accounts-repo.ts';
import { accounts } from '../../../../src/db/schema.ts';
import {
  buttonsOf,
  type ChatBot,
  people,
  startChatBot,
  taskCounts,
  taskIdIn,
  taskWithAccounts,
} from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';

const database = useTestDatabase();
let bot: ChatBot;
const op = people.operator;
const ids: Record<string, number> = {};

beforeAll(async () => {
  bot = await startChatBot(database());
  const { db } = database();
  const tags: Record<string, string[]> = {
    alice: ['spring'],
    bob: ['spring', 'us'],
    carol: ['us'],
    dave: ['spring'],
  };
  for (const [name, list] of Object.entries(tags)) {
    ids[name] = (await insertAccount(db, { username: name }))!.id;
    await db.update(accounts).set({ tags: list }).where(eq(accounts.id, ids[name]!));
  }
  await db.update(accounts).set({ health: 'logged_out' }).where(eq(accounts.username, 'dave'));
});
afterAll(async () => {
  await bot?.stop();
});

/** The accounts of the task /new created with this line. */
async function accountsOf(line: string) {
  const id = taskIdIn(await bot.ask(op, `/new ${line}`));
  return (await taskWithAccounts(database().db, id)).accountIds;
}

describe('/new accounts= with groups', () => {
  it('a tag takes its accounts that can be warmed; several tags and names unite', async () => {
    expect(await accountsOf('accounts=tag:spring')).toEqual([ids.alice, ids.bob]);
    expect(await accountsOf('accounts=tag:spring,tag:us')).toEqual([ids.alice, ids.bob, ids.carol]);
    // A name is taken as it is, even logged out.
    expect(await accountsOf('accounts=tag:us,@Dave preset=light')).toEqual([ids.bob, ids.carol, ids.dave]);
    expect(await accountsOf('accounts=platform:tiktok')).toEqual([ids.alice, ids.bob, ids.carol]);
  });

  it('says how many of a group were left out because they cannot be warmed now', async () => {
    const answer = await bot.ask(op, '/new accounts=tag:spring');
    expect(answer.split('\n')).toEqual([
      `Task #${taskIdIn(answer)} created: 2 accounts, preset default.`,
      'Left out of the group: 1 account that cannot be warmed now (logged out, blocked or at a captcha). See /accounts.',
    ]);
    // Named, or a group with none left out: nothing more is said.
    expect(await bot.ask(op, '/new accounts=tag:us')).not.toContain('Left out');
    expect(await bot.ask(op, '/new accounts=alice,dave')).not.toContain('Left out');
  });

  it('unknown names, tags and platforms are named in one sentence; nothing is created', async () => {
    const before = await taskCounts(database().db, bot.jobs);
    expect(await bot.ask(op, '/new accounts=tag:autumn,zed,alice')).toBe(
      'Unknown accounts: zed; tags: autumn. Send /accounts for the list.',
    );
    expect(await bot.ask(op, '/new accounts=platform:myspace')).toBe(
      'Unknown platforms: myspace. Send /accounts for the list.',
    );
    // Many unknown names: whole names within the sentence's budget, the rest counted.
    const many = Array.from({ length: 40 }, (_, i) => `nobody_number_${String(i).padStart(2, '0')}`);
    const named = await bot.ask(op, `/new accounts=${many.join(',')}`);
    const listed = /^Unknown accounts: (.*), \+(\d+)\. Send \/accounts for the list\.$/.exec(named);
    expect(listed).not.toBeNull();
    const shown = listed![1]!.split(', ');
    expect(shown).toEqual(many.slice(0, shown.length));
    expect(shown.length + Number(listed![2])).toBe(40);
    expect(await bot.ask(op, '/new accounts=tag:-x')).toBe(
      '"tag:-x" is not an account name: letters, digits, _ and ., at most 24 characters.',
    );
    await database().db.update(accounts).set({ health: 'captcha' }).where(eq(accounts.username, 'carol'));
    await database().db.update(accounts).set({ health: 'blocked' }).where(eq(accounts.username, 'bob'));
    expect(await bot.ask(op, '/new accounts=tag:us')).toBe(
      'No healthy accounts: every account is logged out, blocked or stuck at a captcha. See /accounts.',
    );
    await database().db.update(accounts).set({ health: 'unknown' }).where(eq(accounts.username, 'carol'));
    await database().db.update(accounts).set({ health: 'unknown' }).where(eq(accounts.username, 'bob'));
    expect(await taskCounts(database().db, bot.jobs)).toEqual(before);
  });
});

describe('the guided /new offers the tags in use', () => {
  it('one tap selects a tag’s healthy accounts, a second takes them out; a forged tag is refused', async () => {
    expect(await bot.ask(op, '/new')).toContain('(0 of 4 selected');
    const id = bot.fake.messages(op.id).at(-1)!.message_id;
    const draft = () => bot.fake.message(op.id, id)!;
    expect(buttonsOf(draft()).slice(4, 6)).toEqual([
      ['#spring', 'n:tg:spring'],
      ['#us', 'n:tg:us'],
    ]);
    expect(await bot.tap(op, 'n:tg:spring', id)).toBe('');
    expect(draft().text).toContain('(2 of 4 selected');
    expect(
      buttonsOf(draft())
        .slice(0, 5)
        .map(([label]) => label),
    ).toEqual(['✓ alice', '✓ bob', 'carol', '⚠️ dave', '✓ #spring']);
    await bot.tap(op, 'n:tg:us', id);
    expect(draft().text).toContain('(3 of 4 selected');
    await bot.tap(op, 'n:tg:spring', id);
    expect(draft().text).toContain('(1 of 4 selected');
    expect(await bot.tap(op, 'n:tg:autumn', id)).toBe('That button is not valid. Send /new to start again.');
    expect(await bot.tap(op, 'n:tg:-x', id)).toBe('That button is not valid. Send /new to start again.');
    await bot.tap(op, 'n:n', id);
    await bot.tap(op, 'n:p:light', id);
    await bot.tap(op, 'n:ok', id);
    const created = taskIdIn(String(draft().text));
    expect((await taskWithAccounts(database().db, created)).accountIds).toEqual([ids.carol]);
  });
});
