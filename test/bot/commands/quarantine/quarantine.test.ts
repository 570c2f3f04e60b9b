// Quarantine end to end: sessions on workers, events through pg-boss, messages through real
// telegraf to the fake Bot API. A captcha pauses the account once — one notice with the screenshot
// and a Resume button —, a second failure says nothing of it again, and Resume, /account_resume and
// a new /login each lift it.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNotifier } from '../../../../src/bot/commands/tasks/notifier.ts';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { createTaskJobs } from '../../../../src/jobs/task-jobs.ts';
import { createTask } from '../../../../src/tasks/create-task.ts';
import { beginRun, finishRun } from '../../../../src/tasks/run-session.ts';
import { people, useBotHarness } from '../../../support/bot.ts';
import { askIn, buttonsOf, tapIn } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import type { FakeMessage } from '../../../support/fake-bot-api.ts';
import { makeAccounts, recordingJobs } from '../../../support/fixtures.ts';
import { completed, failed, steeredRunner, testLog } from '../../../support/jobs.ts';
import { tinyPng } from '../../../support/png.ts';

const database = useTestDatabase();
const steer = steeredRunner({
  autoRelease: true,
  plan: (input) => (input.account.username.startsWith('capt') ? failed('captcha', false) : completed()),
});
let accountId: number;
let username: string;
const chat = people.operator.id;
const key = randomBytes(32);

const h = useBotHarness(database, { runner: steer.runner, secretsKey: key });

beforeAll(async () => {
  [accountId] = (await makeAccounts(database().db, 1, 'capt')) as [number];
  const [row] = await database().db.select().from(accounts).where(eq(accounts.id, accountId));
  username = row!.username;
});

const settings = { parallel: 1, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 };

/** A one-account task for the captcha account; resolves to its failure notice (a photo). */
async function failOnce(): Promise<FakeMessage> {
  const { task } = await createTask(database().db, createTaskJobs(h.boss.boss), {
    name: `warm ${username}`,
    settings,
    accountIds: [accountId],
    chatId: chat,
    actorId: people.operator.id,
  });
  return h.fake.waitFor(() =>
    h.fake.messages(chat).find((m) => m.photo && String(m.caption).startsWith(`❌ #${task.id} `)),
  );
}

const account = async () =>
  (await database().db.select().from(accounts).where(eq(accounts.id, accountId)))[0]!;
const pausedNotices = () =>
  h.fake.messages(chat).filter((m) => m.photo && String(m.caption).includes('paused'));
const resume = () => `qr:${accountId}`;

describe('quarantine', () => {
  it('a captcha pauses the account: one notice with the screenshot and a Resume button', async () => {
    const notice = await failOnce();
    expect(notice.caption).toContain(
      `${username} is paused in all programmes: stopped at a captcha — open the account by hand, then tap Resume.`,
    );
    expect(buttonsOf(notice)).toContainEqual([`▶️ Resume ${username}`, resume()]);
    const upload = h.fake.calls('sendPhoto').at(-1)!;
    expect(upload.uploads.photo?.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const row = await account();
    expect(row.quarantinedAt).not.toBeNull();
    expect(row.quarantineReason).toBe('captcha');
    expect(row.quarantineRunId).not.toBeNull();
  });

  it('a second failure of the paused account does not announce the pause again', async () => {
    const notice = await failOnce();
    expect(notice.caption).toContain('stopped at a captcha');
    expect(notice.caption).not.toContain('paused');
    expect(buttonsOf(notice).map(([, data]) => data)).not.toContain(resume());
    expect(pausedNotices()).toHaveLength(1);
  });

  it('Resume lifts it (audited), takes the button off; a second tap says it is not paused', async () => {
    const notice = pausedNotices()[0]!;
    expect(await tapIn(h.fake, people.viewer, resume(), notice.message_id, chat)).toContain('не позволяет');
    expect((await account()).quarantinedAt).not.toBeNull();
    expect(await tapIn(h.fake, people.operator, resume(), notice.message_id, chat)).toBe(
      `@${username} resumed: programmes include it again.`,
    );
    expect((await account()).quarantinedAt).toBeNull();
    await h.fake.waitFor(
      () => !buttonsOf(h.fake.message(chat, notice.message_id)).some(([, d]) => d === resume()),
    );
    const audit = await database()
      .db.select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'account.resume'), eq(auditLog.actorId, people.operator.id)));
    expect(audit.map((a) => a.details)).toEqual([{ accountId, username, via: 'button' }]);
    expect(await tapIn(h.fake, people.operator, resume(), notice.message_id, chat)).toBe(
      `@${username} is not paused (resumed already).`,
    );
    expect(await tapIn(h.fake, people.operator, 'qr:99999999999', notice.message_id, chat)).toContain(
      'not valid',
    );
    // Ten digits, yet past any Postgres integer id.
    expect(await tapIn(h.fake, people.operator, 'qr:2147483648', notice.message_id, chat)).toContain(
      'not valid',
    );
  });

  it('once resumed, the next captcha pauses it again and says so; /account_resume lifts it', async () => {
    const notice = await failOnce();
    expect(notice.caption).toContain('is paused in all programmes');
    expect(pausedNotices()).toHaveLength(2);
    expect(await askIn(h.fake, people.viewer, `/account_resume ${username}`)).toContain('не позволяет');
    expect(await askIn(h.fake, people.operator, `/account_resume ${username}`)).toBe(
      `@${username} resumed: programmes include it again.`,
    );
    expect((await account()).quarantinedAt).toBeNull();
    expect(await askIn(h.fake, people.operator, `/account_resume ${username}`)).toBe(
      `@${username} is not paused (resumed already).`,
    );
    expect(await askIn(h.fake, people.operator, '/account_resume nobody')).toBe(
      'There is no account @nobody. Send /accounts for the list.',
    );
    expect(await askIn(h.fake, people.operator, '/account_resume')).toContain('Usage: /account_resume');
  });

  it('a new /login upload lifts it', async () => {
    await failOnce();
    expect((await account()).quarantinedAt).not.toBeNull();
    const state = {
      cookies: [{ name: 'sessionid', value: 'x', domain: '.tiktok.com', path: '/' }],
      origins: [],
    };
    const from = people.admin;
    const before = h.fake.messages(from.id).length;
    h.fake.sendDocument({
      from,
      fileName: 'state.json',
      content: JSON.stringify(state),
      caption: `/login ${username}`,
    });
    const reply = await h.fake.waitFor(() => h.fake.messages(from.id)[before]);
    expect(String(reply.text)).toContain('It was paused; programmes include it again.');
    expect((await account()).quarantinedAt).toBeNull();
  });

  it('in a burst of finals, the one that paused an account comes alone with its photo; the rest fold', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const end = async (prefix: string, code: string | null) => {
      const [id] = (await makeAccounts(db, 1, prefix)) as [number];
      const made = await createTask(db, jobs, {
        name: prefix,
        settings,
        accountIds: [id],
        chatId: 4242,
        actorId: null,
      });
      const ref = { runId: made.runs[0]!.id, runNumber: 1 };
      await beginRun(db, jobs, ref);
      await finishRun(
        db,
        jobs,
        ref,
        code
          ? { kind: 'failed', code, message: `${code} seen`, screenshot: tinyPng() }
          : { kind: 'completed', counters: {}, cappedByTime: false },
      );
      return { accountId: id, event: jobs.events.filter((e) => e.taskId === made.task.id).at(-1)! };
    };
    const plain = await end('burst-plain', 'navigation_timeout');
    const paused = await end('burst-paused', 'blocked');
    const done = await end('burst-done', null);
    expect(paused.event.quarantined).toEqual([
      expect.objectContaining({ accountId: paused.accountId, reason: 'blocked' }),
    ]);
    expect(plain.event.quarantined).toEqual([]);
    const notifier = createNotifier({
      db,
      telegram: new Telegram(h.fake.token, { apiRoot: h.fake.apiRoot }),
      log: testLog,
    });
    const settledAs: string[] = [];
    await notifier.deliver(
      4242,
      [plain, paused, done].map((x, i) => ({ id: i + 1, event: x.event })),
      async (ids, outcome) => void settledAs.push(`${ids.join(',')}:${outcome}`),
    );
    const sent = h.fake.messages(4242);
    expect(sent).toHaveLength(2);
    const digest = sent.find((m) => !m.photo)!;
    expect(String(digest.text)).toMatch(/^2 tasks finished:/);
    const photo = sent.find((m) => m.photo)!;
    expect(String(photo.caption)).toContain('is paused in all programmes: the account is blocked');
    expect(buttonsOf(photo)).toContainEqual([expect.stringContaining('Resume'), `qr:${paused.accountId}`]);
    expect(settledAs.filter((s) => !s.startsWith(':')).sort()).toEqual(['1,3:sent', '2:sent']);
  });
});
