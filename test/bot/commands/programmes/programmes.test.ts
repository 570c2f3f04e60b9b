// /plan and /plans through real telegraf, the fake Bot API and Postgres, with a driven clock:
// creating a programme (and every kind of bad line), listing it with its buttons, pausing,
// resuming and stopping it (confirmed), its calendar, adding and removing accounts, roles.
import { and, count, eq, gt } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../../../src/db/accounts-repo.ts';
import { accounts, programmeAccounts, programmeSlots, programmes } from '../../../../src/db/schema.ts';
import { tickProgrammes } from '../../../../src/tasks/programmes/scheduler.ts';
import { buttonsOf, people, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { testLog } from '../../../support/jobs.ts';

const database = useTestDatabase();
let clock = Date.parse('2026-12-01T12:00:00Z');
const op = people.operator;
const LINE =
  'name=spring accounts=alice,bob,@Carol days=14 ramp=standard window=10:00-13:00,18:00-22:30 tz=Europe/Moscow sessions=1-2 gap=90m start=2026-12-02';

const bot = useChatBot(database, { now: () => clock });

beforeAll(async () => {
  for (const username of ['alice', 'bob', 'Carol', 'dave']) await insertAccount(database().db, { username });
});

// A fresh group chat per question: replies within one chat are paced about one a second.
let chats = -3000;
const ask = (from: (typeof people)[keyof typeof people], text: string) => bot.ask(from, text, --chats);
const programmeCount = async () => (await database().db.select({ n: count() }).from(programmes))[0]?.n;
const lastMessage = (chat = chats) => bot.fake.messages(chat).at(-1);

describe('/plan creates a programme', () => {
  it('answers usage with an example when alone', async () => {
    const reply = await ask(op, '/plan');
    expect(reply).toContain('Example: /plan name=spring accounts=alice,bob days=14');
  });

  it('refuses bad lines with one sentence and creates nothing', async () => {
    const cases: [string, string][] = [
      [
        'name=x accounts=alice window=10:00-12:00 tz=Mars/Base',
        '"Mars/Base" is not a timezone I know: write an IANA name such as Europe/Moscow or America/New_York.',
      ],
      [
        'name=x accounts=alice window=10:00-12:00,11:30-13:00',
        'The windows 10:00-12:00 and 11:30-13:00 overlap: make them separate.',
      ],
      [
        'name=x accounts=alice window=10:00-12:00 sessions=3-1',
        'sessions=3-1 is not a range of sessions per day: write e.g. sessions=1-2 (from 1 up to 12, smaller first).',
      ],
      ['name=x accounts=alice,zed window=10:00-12:00', 'Unknown accounts: zed. Send /accounts for the list.'],
      [
        'name=x accounts=alice window=10:00-12:00 ramp=observer:3 days=5',
        'The ramp lasts 3 days but days=5: drop days= or make them agree.',
      ],
      ['name=x accounts=alice', 'Say window=…; send /plan alone for an example.'],
      [
        'name=x accounts=alice window=10:00-12:00 start=2026-11-30',
        "start=2026-11-30 is in the past in the programme's timezone.",
      ],
    ];
    // One chat each: a chat's replies are paced about one a second.
    const replies = await Promise.all(cases.map(([line], i) => bot.ask(op, `/plan ${line}`, -2000 - i)));
    expect(replies).toEqual(cases.map(([, answer]) => answer));
    expect(await programmeCount()).toBe(0);
  });

  it('refuses a viewer', async () => {
    expect(await ask(people.viewer, `/plan ${LINE}`)).toBe('Ваша роль (наблюдатель) этого не позволяет.');
    expect(await programmeCount()).toBe(0);
  });

  it('creates it and sums it up with the first session in the programme zone', async () => {
    const reply = await ask(op, `/plan ${LINE}`);
    const lines = reply.split('\n');
    expect(lines[0]).toMatch(/^✅ Programme #\d+ «spring» created\.$/);
    expect(lines.slice(1, 5)).toEqual([
      '14 days (observer:3,light:4,moderate:3,active:4), from 12/02',
      '3 accounts: alice, bob, Carol',
      'Windows: 10:00–13:00, 18:00–22:30 (Europe/Moscow)',
      '1–2 sessions a day per account, at least 90 min apart',
    ]);
    expect(lines[5]).toMatch(/^First session: 12\/02, (1[0-2]|1[89]|2[0-2]):\d\d Europe\/Moscow$/);
    const [row] = await database().db.select().from(programmes);
    expect(row).toMatchObject({ name: 'spring', timeZone: 'Europe/Moscow', chatId: chats, createdBy: op.id });
    expect(await ask(op, `/plan ${LINE}`)).toBe(
      'A running or paused programme is already called «spring»: pick another name.',
    );
  });
});

describe('/plans and its buttons', () => {
  it('lists day, health and next session, with buttons', async () => {
    const [row] = await database().db.select().from(programmes);
    const id = row!.id;
    await database()
      .db.update(accounts)
      .set({ quarantinedAt: new Date() })
      .where(eq(accounts.username, 'bob'));
    const reply = await ask(op, '/plans');
    expect(reply.split('\n').slice(0, 3).join('\n')).toBe(
      `Programmes:\n\n#${id} spring — running, starts 12/02`,
    );
    expect(reply).toMatch(
      /3 accounts: 2 healthy, 1 in quarantine · next session: 12\/02, \d\d:\d\d Europe\/Moscow/,
    );
    expect(buttonsOf(lastMessage())).toEqual([
      [`⏸ Pause #${id}`, `pg:p:${id}`],
      [`⏹ Stop #${id}`, `pg:s:${id}`],
      [`ℹ️ Details #${id}`, `pg:d:${id}`],
    ]);
    // Russian for the viewer, who may look but not press.
    const ru = await ask(people.viewer, '/plans');
    expect(ru).toContain(`#${id} spring — идёт, начнётся 02.12`);
    const chat = chats;
    const listId = lastMessage()!.message_id;
    expect(await bot.tap(people.viewer, `pg:p:${id}`, listId, chat)).toBe(
      'Ваша роль (наблюдатель) этого не позволяет.',
    );
  });

  it('pauses and resumes, redrawing the list; forged and stale data get a short answer', async () => {
    const [row] = await database().db.select().from(programmes);
    const id = row!.id;
    await ask(op, '/plans');
    const chat = chats;
    const listId = lastMessage()!.message_id;
    expect(await bot.tap(op, `pg:p:${id}`, listId, chat)).toBe(
      `Programme #${id} paused: its sessions are skipped until it is resumed.`,
    );
    expect(bot.fake.message(chats, listId)?.text).toContain('spring — paused');
    expect(buttonsOf(bot.fake.message(chats, listId))[0]).toEqual([`▶️ Resume #${id}`, `pg:r:${id}`]);
    expect(await bot.tap(op, `pg:p:${id}`, listId, chat)).toBe(
      `Programme #${id} is paused: nothing changed.`,
    );
    expect(await bot.tap(op, `pg:r:${id}`, listId, chat)).toBe(`Programme #${id} resumed.`);
    expect(await bot.tap(op, 'pg:p:abc', listId, chat)).toBe(
      'That button is not valid. Send /plans for fresh ones.',
    );
    expect(await bot.tap(op, 'pg:p:999999', listId, chat)).toBe(
      'There is no programme #999999. Send /plans to see them.',
    );
  });

  it('shows the calendar of the next days and the history', async () => {
    const { db } = database();
    const [row] = await db.select().from(programmes);
    const id = row!.id;
    // Two days run by the scheduler, ticking at each slot's time, then look on day 3.
    let now = new Date('2026-12-02T06:00:00Z');
    const end = new Date('2026-12-03T21:00:00Z');
    while (now < end) {
      await tickProgrammes({ db, jobs: bot.jobs, now, log: testLog });
      const [next] = await db
        .select({ at: programmeSlots.dueAt })
        .from(programmeSlots)
        .where(and(eq(programmeSlots.status, 'planned'), gt(programmeSlots.dueAt, now)))
        .orderBy(programmeSlots.dueAt)
        .limit(1);
      now = next && next.at < end ? next.at : end;
    }
    await tickProgrammes({ db, jobs: bot.jobs, now, log: testLog });
    clock = Date.parse('2026-12-04T05:00:00Z'); // 08:00 in Moscow, day 3
    const reply = await ask(op, `/plan ${id}`);
    expect(reply).toContain(`Programme #${id} «spring» — running, day 3/14`);
    expect(reply).toMatch(
      /Next days:\nDay 3 \(12\/04\), observer: \d sessions? planned\nDay 4 \(12\/05\), light: \d sessions? planned\nDay 5/,
    );
    // bob is quarantined: his slots were skipped.
    expect(reply).toMatch(
      /Past days:\nDay 1 \(12\/02\): [2-4] created, skipped: quarantine [12]\nDay 2 \(12\/03\): [2-4] created, skipped: quarantine [12]$/,
    );
  });

  it('adds and removes accounts from the next day', async () => {
    const { db } = database();
    const [row] = await db.select().from(programmes);
    const id = row!.id;
    expect(await ask(op, `/plan ${id} add=dave`)).toBe(`@dave takes part in programme #${id} from day 4.`);
    expect(await ask(op, `/plan ${id} add=dave`)).toBe('@dave already takes part.');
    expect(await ask(op, `/plan ${id} remove=alice`)).toBe(`@alice leaves programme #${id} from day 4.`);
    expect(await ask(op, `/plan ${id} add=nobody`)).toBe(
      'There is no account @nobody. Send /accounts for the list.',
    );
    expect(await ask(op, `/plan ${id} remove=alice`)).toBe('@alice does not take part in this programme.');
    expect(await ask(op, `/plan ${id} colour=red`)).toContain(
      'Usage: /plan <id> [add=<accounts> | remove=<account>]',
    );
    expect(await ask(people.viewer, `/plan ${id} add=dave`)).toBe(
      'Ваша роль (наблюдатель) этого не позволяет.',
    );
    const members = await db.select().from(programmeAccounts).where(eq(programmeAccounts.programmeId, id));
    const byId = new Map((await db.select().from(accounts)).map((a) => [a.id, a.username]));
    expect(members.map((m) => [byId.get(m.accountId), m.fromDay, m.untilDay]).sort()).toEqual([
      ['Carol', 1, null],
      ['alice', 1, 4],
      ['bob', 1, null],
      ['dave', 4, null],
    ]);
  });

  it('stops only after confirmation', async () => {
    const { db } = database();
    const [row] = await db.select().from(programmes);
    const id = row!.id;
    await ask(op, '/plans');
    const chat = chats;
    const listId = lastMessage()!.message_id;
    expect(await bot.tap(op, `pg:s:${id}`, listId, chat)).toBe('');
    const confirm = lastMessage()!;
    expect(confirm.text).toBe(
      `Stop programme #${id} «spring» for good? Its planned sessions will not run (tasks already created are not touched).`,
    );
    expect(await bot.tap(op, `pg:sn:${id}`, confirm.message_id, chat)).toBe('');
    expect(bot.fake.message(chats, confirm.message_id)?.text).toBe('Left running.');
    expect((await db.select().from(programmes))[0]?.status).toBe('active');
    expect(await bot.tap(op, `pg:sy:${id}`, confirm.message_id, chat)).toBe(`Programme #${id} stopped.`);
    expect((await db.select().from(programmes))[0]?.status).toBe('stopped');
    expect(await bot.tap(op, `pg:sy:${id}`, confirm.message_id, chat)).toBe(
      `Programme #${id} is stopped: nothing changed.`,
    );
    expect(await ask(op, `/plan ${id} add=alice`)).toBe(
      `Programme #${id} has ended; accounts can no longer change.`,
    );
  });
});

describe('groups in /plan', () => {
  it('accounts= takes tags and names; add= a tag joins its accounts from the next day', async () => {
    const { db } = database();
    await db
      .update(accounts)
      .set({ tags: ['team'] })
      .where(eq(accounts.username, 'alice'));
    await db
      .update(accounts)
      .set({ tags: ['team', 'late'] })
      .where(eq(accounts.username, 'dave'));
    await db
      .update(accounts)
      .set({ tags: ['late'] })
      .where(eq(accounts.username, 'bob'));
    const line = (accounts: string) =>
      `name=teamwork accounts=${accounts} window=10:00-13:00 tz=UTC start=2026-12-05`;
    expect(await ask(op, `/plan ${line('tag:team,tag:autumn,zed')}`)).toBe(
      'Unknown accounts: zed; tags: autumn. Send /accounts for the list.',
    );
    expect(await ask(op, `/plan ${line('tag:team,carol')}`)).toContain('3 accounts: alice, Carol, dave');
    const [row] = await db.select().from(programmes).where(eq(programmes.name, 'teamwork'));
    const id = row!.id;
    expect(await ask(op, `/plan ${id} add=tag:late`)).toBe(
      `1 account takes part in programme #${id} from day 1 (1 already did).`,
    );
    expect(await ask(op, `/plan ${id} add=tag:nope`)).toBe(
      'Unknown tags: nope. Send /accounts for the list.',
    );
    const members = await db.select().from(programmeAccounts).where(eq(programmeAccounts.programmeId, id));
    const byId = new Map((await db.select().from(accounts)).map((a) => [a.id, a.username]));
    expect(members.map((m) => byId.get(m.accountId)).sort()).toEqual(['Carol', 'alice', 'bob', 'dave']);
  });
});
