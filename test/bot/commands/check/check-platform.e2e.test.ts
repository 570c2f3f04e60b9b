// /check of an Instagram-platform account, end to end: the worker opens the start URL of the
// account's own platform profile (here an "instagram" profile that points at the fixture's reels
// markup, as a WARMUP_SITE_PROFILES file replacing the built-in would), through the account's
// proxy, and the answer reads that profile's markers; a TikTok account beside it opens its own.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertAccount } from '../../../../src/db/accounts-repo.ts';
import { accounts } from '../../../../src/db/schema.ts';
import { createAccountChecker } from '../../../../src/jobs/check-runner.ts';
import { createWarmupRunner } from '../../../../src/jobs/warmup-runner.ts';
import { sealLogin } from '../../../../src/tasks/login-cipher.ts';
import { type BrowserHost, createBrowserHost } from '../../../../src/warmup/browser.ts';
import { siteProfilesOf } from '../../../../src/warmup/profile-registry.ts';
import { parseSiteProfile } from '../../../../src/warmup/site-profile.ts';
import { fixtureAccount } from '../../../support/accounts.ts';
import { type BotHarness, people, startBotHarness } from '../../../support/bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { type FixtureSite, startFixtureSite } from '../../../support/fixture-site.ts';
import { startForwardProxy } from '../../../support/forward-proxy.ts';
import { testLog } from '../../../support/jobs.ts';

const database = useTestDatabase();
const key = randomBytes(32);
// A name only the proxy resolves: a browser that went around the proxy could not load it.
const HOST = 'instagram.fixture.invalid';
let site: FixtureSite;
let proxy: Awaited<ReturnType<typeof startForwardProxy>>;
let host: BrowserHost;
let h: BotHarness;

beforeAll(async () => {
  site = await startFixtureSite();
  proxy = await startForwardProxy(site.url);
  host = createBrowserHost({ headless: true, log: { info() {}, warn() {} } });
  const reels = site.profiles.reels;
  const instagram = parseSiteProfile({
    ...reels,
    name: 'instagram',
    startUrl: `http://${HOST}/reels/`,
    searchUrl: `http://${HOST}/explore/search/keyword/?q={query}`,
  });
  const profiles = siteProfilesOf([site.profile, instagram]);
  const { db } = database();
  const ivy = await insertAccount(db, { username: 'ivy', proxyUrl: proxy.url, platform: 'instagram' });
  const login = sealLogin(key, site.storageStateFor('ivy', HOST));
  await db.update(accounts).set({ loginEncrypted: login }).where(eq(accounts.id, ivy!.id));
  site.bindMarkup('ivy', 'reels');
  await fixtureAccount(db, key, site, 'tom');
  const runner = createWarmupRunner({ host, profiles, log: testLog });
  const checker = createAccountChecker({ host, profiles, log: testLog });
  h = await startBotHarness(database(), { runner, checker, secretsKey: key });
});
afterAll(async () => {
  await h?.stop();
  await host?.close();
  await proxy?.close();
  await site?.close();
});

async function check(username: string) {
  const said = () => h.fake.messages(people.operator.id).map((m) => String(m.text ?? m.caption ?? ''));
  const before = said().length;
  h.fake.sendText({ from: people.operator, text: `/check ${username}` });
  return h.fake.waitFor(
    () =>
      said()
        .slice(before)
        .find((s) => s.startsWith(`🔎 Check of @${username}`)),
    { timeout: 60_000, description: `the answer of /check ${username}` },
  );
}

it('of an instagram account opens its profile’s start URL through its proxy, and reads its markers', async () => {
  const answer = await check('ivy');
  expect(answer).toContain('Proxy and site: reachable');
  expect(answer).toContain('✅ Logged in');
  expect(proxy.hosts).toContain(HOST);
  // The reels profile's start page, in the reels markup: nothing of the other platform's.
  expect(site.stats.account('ivy').pages).toEqual([{ path: '/reels/', markup: 'reels' }]);
  expect(site.stats.account('ivy')).toMatchObject({ likes: [], follows: [], comments: [] });
}, 90_000);

it('of an account on the default platform opens the default profile’s start URL, without a proxy', async () => {
  const answer = await check('tom');
  expect(answer).toContain('✅ Logged in');
  expect(site.stats.account('tom').pages).toEqual([{ path: '/feed', markup: 'tiktok' }]);
  expect(proxy.hosts.filter((h) => h !== HOST)).toEqual([]);
}, 90_000);
