// /check end to end: an operator types /check in Telegram (the fake Bot API), a worker opens the
// account's session in real Chromium against the fixture site under the account's lease, and the
// chat gets a photo saying what the page showed; the account's health follows what was seen.
import { createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { storeAccountProxies } from '../../../../src/db/fleet-repo.ts';
import { acquireLease, releaseLease } from '../../../../src/db/leases-repo.ts';
import { accounts } from '../../../../src/db/schema.ts';
import { accountSingletonKey, QUEUES } from '../../../../src/jobs/queues.ts';
import { fixtureAccount } from '../../../support/accounts.ts';
import { people, useWarmupBot } from '../../../support/bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { PNG_MAGIC } from '../../../warmup/helpers.ts';

const database = useTestDatabase();
const chat = people.operator.id;
const { h, site, key } = useWarmupBot(database, {
  accounts: ['alice', 'gone'],
  loggedOut: ['gone'],
  checker: true,
  // A check gives up on a busy account after 10 s here (a minute in production).
  lease: { waitMs: 10_000 },
});

const said = (chatId: number = chat) =>
  h.fake.messages(chatId).map((m) => ({ text: String(m.text ?? m.caption ?? ''), m }));
const health = async (username: string) =>
  (await database().db.select().from(accounts).where(eq(accounts.username, username)))[0]!.health;

async function check(username: string, ack = `Checking @${username}… (answer within a minute)`) {
  const before = said().length;
  h.fake.sendText({ from: people.operator, text: `/check ${username}` });
  const queued = await h.fake.waitFor(() => said()[before]);
  expect(queued.text).toContain(ack);
  return h.fake.waitFor(
    () =>
      said()
        .slice(before)
        .find((s) => s.text.startsWith(`🔎 Check of @${username}`)),
    {
      timeout: 60_000,
      description: `the answer of /check ${username}`,
    },
  );
}

describe('/check in real Chromium', () => {
  it('of a logged-in account answers with a photo saying logged in, and records ok', async () => {
    await database().db.update(accounts).set({ health: 'unknown' }).where(eq(accounts.username, 'alice'));
    const answer = await check('alice');
    const [photo] = answer.m.photo ?? [];
    expect(h.fake.file(photo!.file_id)?.bytes.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(answer.text).toContain('Proxy and site: reachable');
    expect(answer.text).toContain('✅ Logged in');
    expect(answer.text).toContain('Health recorded: ok');
    expect(await health('alice')).toBe('ok');
    // It counts nothing: no like, follow or comment reached the site.
    expect(site.stats.account('alice')).toMatchObject({ likes: [], follows: [], comments: [] });
  }, 90_000);

  it('of a logged-out account says so and marks the account logged_out', async () => {
    expect(await health('gone')).toBe('ok');
    const answer = await check('gone');
    expect(answer.m.photo).toBeDefined();
    expect(answer.text).toContain('🔒 Logged out');
    expect(answer.text).toContain('Health recorded: logged_out');
    expect(await health('gone')).toBe('logged_out');
  }, 90_000);
});

it('never opens an account another session holds: it says the account stayed busy, and changes nothing', async () => {
  const { db } = database();
  const [alice] = await db.select().from(accounts).where(eq(accounts.username, 'alice'));
  await db.update(accounts).set({ health: 'unknown' }).where(eq(accounts.id, alice!.id));
  const lease = await acquireLease(db, { accountId: alice!.id, runId: null, holder: 'a warmup' }, 60);
  try {
    const answer = await check('alice', '@alice is in a browser session right now');
    expect(answer.m.photo).toBeUndefined();
    expect(answer.text).toContain('The check did not run (busy)');
    expect(answer.text).toContain('Health left as it was.');
    expect(await health('alice')).toBe('unknown');
  } finally {
    await releaseLease(db, lease!);
  }
}, 90_000);

it('waits while another session holds the account, and runs once the account is free', async () => {
  const { db } = database();
  const [alice] = await db.select().from(accounts).where(eq(accounts.username, 'alice'));
  const lease = await acquireLease(db, { accountId: alice!.id, runId: null, holder: 'a warmup' }, 30);
  const before = said().length;
  h.fake.sendText({ from: people.operator, text: '/check alice' });
  const queued = await h.fake.waitFor(() => said()[before]);
  expect(queued.text).toBe(
    '@alice is in a browser session right now; the check runs as soon as that session ends.',
  );
  // The check job is taken and waits for the lease; no browser opens and nothing is answered.
  await vi.waitFor(
    async () => {
      const jobs = await h.boss.boss.findJobs(QUEUES.session, { key: accountSingletonKey(alice!.id) });
      expect(jobs.map((j) => j.state)).toContain('active');
    },
    { timeout: 10_000, interval: 100 },
  );
  expect(said().slice(before + 1)).toEqual([]);
  await releaseLease(db, lease!);
  const answer = await h.fake.waitFor(
    () =>
      said()
        .slice(before + 1)
        .find((s) => s.text.startsWith('🔎')),
    {
      timeout: 60_000,
    },
  );
  expect(answer.text).toContain('✅ Logged in');
}, 90_000);

it('through a proxy that refuses says the proxy is unreachable, records proxy_error, and never shows its password', async () => {
  const { db } = database();
  // A port that was free a moment ago: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const id = await fixtureAccount(db, key, site, 'proxied');
  // Sealed with the worker's key, as every writer stores it: the check opens it for the browser.
  await storeAccountProxies(db, [{ accountId: id, proxyUrl: `http://user:s3cret-pw@127.0.0.1:${port}` }], {
    secretsKey: key,
  });
  const answer = await check('proxied');
  expect(answer.text).toContain('Proxy or site: not reachable (proxy_error)');
  expect(answer.text).toContain('Health recorded: proxy_error');
  expect(await health('proxied')).toBe('proxy_error');
  expect(JSON.stringify(h.fake.messages(chat))).not.toContain('s3cret-pw');
}, 90_000);

describe('/check refusals', () => {
  const reply = async (from: (typeof people)[keyof typeof people], text: string) => {
    const before = said(from.id).length;
    h.fake.sendText({ from, text });
    return (await h.fake.waitFor(() => said(from.id)[before])).text;
  };

  it('without an account says how to use it', async () => {
    expect(await reply(people.operator, '/check')).toBe('Usage: /check <account> — e.g. /check alice');
  });

  it('of an unknown account says there is none', async () => {
    expect(await reply(people.operator, '/check nobody')).toBe(
      'There is no account @nobody. Send /accounts for the list.',
    );
  });

  it('from a viewer is refused', async () => {
    expect(await reply(people.viewer, '/check alice')).toMatch(/наблюдатель/);
  });
});
