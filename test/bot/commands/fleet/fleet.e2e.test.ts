// The fleet end to end: an admin imports accounts with proxies and tags and sends their saved logins
// as one ZIP, an operator runs `accounts=tag:…`, and workers run real Chromium through the accounts'
// proxies (forward proxies that alone know the site's name) against the fixture site: the site sees
// each login's cookie, only the tagged accounts run, and after /account_set … proxy= the next
// session goes through the new proxy.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runs, tasks } from '../../../../src/db/schema.ts';
import { createWarmupRunner } from '../../../../src/jobs/warmup-runner.ts';
import { type BrowserHost, createBrowserHost } from '../../../../src/warmup/browser.ts';
import { type BotHarness, people, startBotHarness } from '../../../support/bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import type { FakeUser } from '../../../support/fake-bot-api.ts';
import { type FixtureSite, startFixtureSite } from '../../../support/fixture-site.ts';
import { startForwardProxy } from '../../../support/forward-proxy.ts';
import { testLog } from '../../../support/jobs.ts';

const database = useTestDatabase();
const key = randomBytes(32);
const admin = people.admin;
const op = people.operator;
/** A name only the proxies resolve: a session that went around its proxy would not load. */
const SITE = 'fleet-site.invalid';
let site: FixtureSite;
let host: BrowserHost;
let h: BotHarness;
let proxyA: Awaited<ReturnType<typeof startForwardProxy>>;
let proxyB: Awaited<ReturnType<typeof startForwardProxy>>;

beforeAll(async () => {
  site = await startFixtureSite();
  proxyA = await startForwardProxy(site.url);
  proxyB = await startForwardProxy(site.url);
  host = createBrowserHost({ headless: true, log: { info() {}, warn() {} } });
  const profile = {
    ...site.profile,
    startUrl: `http://${SITE}/feed`,
    searchUrl: `http://${SITE}/search?q={query}`,
  };
  const runner = createWarmupRunner({ host, profile, log: testLog });
  h = await startBotHarness(database(), { runner, secretsKey: key });
});
afterAll(async () => {
  await h?.stop();
  await host?.close();
  await proxyA?.close();
  await proxyB?.close();
  await site?.close();
});

/** The fixture's cookie for `name`, on the name the proxies resolve. */
const loginOf = (name: string) => {
  const state = site.storageStateFor(name);
  return { ...state, cookies: state.cookies.map((c) => ({ ...c, domain: SITE })) };
};

async function send(from: FakeUser, act: () => void) {
  const before = h.fake.messages(from.id).length;
  act();
  return h.fake.waitFor(() => h.fake.messages(from.id)[before], { timeout: 30_000 });
}

/** /new in one line as the operator; resolves once the task has finished, with its runs' accounts. */
async function runTask(line: string) {
  const created = await send(op, () =>
    h.fake.sendText({ from: op, text: `/new ${line} videos=2-2 watch=0-0 scrolls=0-0 likes=0-0 delay=0-0` }),
  );
  const id = Number(/#(\d+)/.exec(String(created.text))?.[1]);
  // The end notice in the chat (a start notice is ▶️, a failure ❌): the task has finished.
  await h.fake.waitFor(
    () =>
      h.fake
        .messages(op.id)
        .find((m) =>
          [`✅ #${id} `, `❌ #${id} `].some((head) => String(m.text ?? m.caption).startsWith(head)),
        ),
    { timeout: 120_000, description: `the end of task #${id}` },
  );
  const { db } = database();
  const [task] = await db.select().from(tasks).where(eq(tasks.id, id));
  const rows = await db.select().from(runs).where(eq(runs.taskId, id));
  return { task: task!, runs: rows };
}

it('saved logins from one ZIP are used by the next session, through each account’s proxy, tagged accounts only', async () => {
  const proxy = new URL(proxyA.url);
  const file = [
    'username,proxy,tags',
    `zed1,${proxy.hostname}:${proxy.port}:buyer1:Pw-SECRET-1,zipped`,
    `zed2,http://buyer2:Pw-SECRET-2@${proxy.host},zipped`,
    `other,${proxy.hostname}:${proxy.port},`,
  ].join('\n');
  const preview = await send(admin, () =>
    h.fake.sendDocument({ from: admin, fileName: 'fleet.csv', content: file, caption: '/accounts_import' }),
  );
  expect(String(preview.text)).toContain('New: 3 · changed: 0 · unchanged: 0');
  h.fake.tapButton({ from: admin, message_id: preview.message_id, data: 'fi:a' });
  await h.fake.waitFor(() =>
    String(h.fake.message(admin.id, preview.message_id)?.text).startsWith('✅ Imported'),
  );

  const zip = zipSync({
    'zed1.json': strToU8(JSON.stringify(loginOf('zed1'))),
    'zed2.json': strToU8(JSON.stringify(loginOf('zed2').cookies)),
    'other.json': strToU8(JSON.stringify(loginOf('other'))),
  });
  const attached = await send(admin, () =>
    h.fake.sendDocument({ from: admin, fileName: 'logins.zip', content: zip, caption: '/login' }),
  );
  expect(String(attached.text)).toContain('Saved logins attached: 3 accounts.');

  const { task, runs: ran } = await runTask('accounts=tag:zipped');
  expect(task.status).toBe('completed');
  expect(ran).toHaveLength(2);
  // The site saw each login's cookie: its views are recorded under that account's name.
  expect(site.stats.account('zed1').views.length).toBeGreaterThan(0);
  expect(site.stats.account('zed2').views.length).toBeGreaterThan(0);
  expect(site.stats.account('other').views).toEqual([]);
  expect(site.stats.account('anonymous').views).toEqual([]);
  expect(proxyA.hosts).toContain(SITE);
  expect(proxyB.hosts).toEqual([]);
}, 240_000);

it('a changed proxy is the one the next session goes through', async () => {
  const before = site.stats.account('zed1').views.length;
  const proxy = new URL(proxyB.url);
  const set = await send(admin, () =>
    h.fake.sendText({
      from: admin,
      text: `/account_set zed1 proxy=${proxy.hostname}:${proxy.port}:buyer:Pw-SECRET-3`,
    }),
  );
  expect(String(set.text)).toContain(`@zed1 goes through the proxy ${proxy.host} from its next session.`);
  const usedA = proxyA.hosts.length;
  const { task } = await runTask('accounts=zed1');
  expect(task.status).toBe('completed');
  expect(site.stats.account('zed1').views.length).toBeGreaterThan(before);
  expect(proxyB.hosts).toContain(SITE);
  expect(proxyA.hosts.length).toBe(usedA);
  const said = [...h.fake.messages(admin.id), ...h.fake.messages(op.id)].map((m) =>
    String(m.text ?? m.caption),
  );
  expect(said.join('\n')).not.toContain('SECRET');
}, 240_000);
