// A task mixing platforms, through the real queue and real Chromium: the fixture's two profiles are
// loaded from a WARMUP_SITE_PROFILES directory, one account on each; each session does exactly its
// knobs on its own markup. Swapping the accounts' platforms and restarting fails both runs
// selector_missing, naming the missing selector — not a crash. A platform's daily cap holds across
// sessions (the account's finished runs of the last 24 h).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setAccountPlatform } from '../../src/db/accounts-repo.ts';
import { countRecentActions } from '../../src/db/recent-actions-repo.ts';
import { lastLogLines } from '../../src/db/runs-repo.ts';
import { runs, tasks } from '../../src/db/schema.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { createTaskJobs } from '../../src/jobs/task-jobs.ts';
import { createWarmupRunner } from '../../src/jobs/warmup-runner.ts';
import { startWorkers, type Workers } from '../../src/jobs/workers.ts';
import { createTask } from '../../src/tasks/create-task.ts';
import { restartTask } from '../../src/tasks/restart-task.ts';
import { type BrowserHost, createBrowserHost } from '../../src/warmup/browser.ts';
import { settingsBasis } from '../../src/warmup/platform-warmup.ts';
import { loadSiteProfiles, type SiteProfiles } from '../../src/warmup/profile-registry.ts';
import type { WarmupSettings } from '../../src/warmup/settings.ts';
import { fixtureAccount } from '../support/accounts.ts';
import { useTestDatabase } from '../support/db.ts';
import { type FixtureSite, startFixtureSite } from '../support/fixture-site.ts';
import { startTestBoss, testLog } from '../support/jobs.ts';
import { quickSettings, range } from '../support/quick-settings.ts';

const database = useTestDatabase();
const key = randomBytes(32);
let site: FixtureSite;
let boss: Boss;
let host: BrowserHost;
let workers: Workers;
let dir: string;
let profiles: SiteProfiles;

beforeAll(async () => {
  site = await startFixtureSite({ liveEvery: 4, dialogOnFirstLoad: true });
  dir = await mkdtemp(path.join(tmpdir(), 'warmup-platforms-'));
  // The reels platform caps likes at 3 a day; the task below types its knobs, which win.
  const reels = { ...site.profiles.reels, warmup: { dailyCaps: { likes: 3 } } };
  await writeFile(path.join(dir, 'fixture.json'), JSON.stringify(site.profiles.tiktok));
  await writeFile(path.join(dir, 'reels.json'), JSON.stringify(reels));
  profiles = await loadSiteProfiles({ directory: dir, defaultProfile: 'fixture' });
  boss = await startTestBoss(database());
  host = createBrowserHost({ headless: true, log: { info() {}, warn() {} } });
  workers = await startWorkers({
    boss,
    db: database().db,
    runner: createWarmupRunner({
      host,
      profiles,
      log: testLog,
      recentActions: (accountId) => countRecentActions(database().db, accountId),
    }),
    log: testLog,
    concurrency: 4,
    secretsKey: key,
  });
});
afterAll(async () => {
  await workers?.stop(0);
  await boss?.boss.stop({ graceful: false, timeout: 1000 });
  await host?.close();
  await site?.close();
  await rm(dir, { recursive: true, force: true });
});

const jobs = () => createTaskJobs(boss.boss, () => 0);

/** An account logged in to the fixture, served `markup`, on `platform` (null: the default). */
async function account(name: string, markup: 'tiktok' | 'reels', platform: string | null) {
  const id = await fixtureAccount(database().db, key, site, name);
  site.bindMarkup(name, markup);
  await setAccountPlatform(database().db, id, platform);
  return id;
}

/** Settings typed in full: the platform fills in nothing. */
function typed(knobs: Partial<WarmupSettings>) {
  return { ...quickSettings(knobs), basis: settingsBasis(undefined, knobs) };
}

async function taskRow(id: number) {
  const [row] = await database().db.select().from(tasks).where(eq(tasks.id, id));
  return row!;
}
const waitForTask = (id: number, statuses: string[], timeout = 90_000) =>
  vi.waitFor(async () => expect(statuses).toContain((await taskRow(id)).status), { timeout, interval: 250 });
const runsOf = (taskId: number) =>
  database().db.select().from(runs).where(eq(runs.taskId, taskId)).orderBy(runs.accountId);

describe('a task mixing two platforms', () => {
  it('runs each account on its own profile and markup; swapped, both fail selector_missing', async () => {
    expect(profiles.names).toEqual(expect.arrayContaining(['fixture', 'fixture-reels', 'tiktok']));
    const alice = await account('alice', 'reels', 'fixture-reels');
    const bob = await account('bob', 'tiktok', null); // the default platform: fixture
    const knobs = {
      videos: range(3),
      scrolls: range(1),
      likes: range(2),
      follows: range(1),
      comments: range(1),
    };
    const { task } = await createTask(database().db, jobs(), {
      name: 'mixed',
      settings: { ...typed(knobs), parallel: 2 },
      accountIds: [alice, bob],
      chatId: 7,
      actorId: 1,
    });
    await waitForTask(task.id, ['completed']);
    for (const [name, markup, dialog] of [
      ['alice', 'reels', 'notifications'],
      ['bob', 'tiktok', 'interests'],
    ] as const) {
      const server = site.stats.account(name);
      expect(
        { likes: server.likes.length, follows: server.follows.length, comments: server.comments.length },
        name,
      ).toEqual({ likes: 2, follows: 1, comments: 1 });
      expect(server.unlikes.concat(server.unfollows), name).toEqual([]);
      expect(server.dismissals, name).toEqual([dialog]);
      expect(new Set(server.pages.map((p) => p.markup)), name).toEqual(new Set([markup]));
    }
    expect(site.stats.account('alice').notificationsOn).toEqual([]);
    const done = await runsOf(task.id);
    for (const run of done)
      expect(run.counters).toMatchObject({ itemsViewed: 3, scrolls: 1, likes: 2, follows: 1, comments: 1 });

    // Swapped: each account now names the other's platform; the restart opens the wrong markup.
    await setAccountPlatform(database().db, alice, 'fixture');
    await setAccountPlatform(database().db, bob, 'fixture-reels');
    const before = { alice: site.stats.account('alice'), bob: site.stats.account('bob') };
    expect(
      (await restartTask(database().db, jobs(), { taskId: task.id, scope: 'all', actorId: 1, chatId: 7 })).ok,
    ).toBe(true);
    await waitForTask(task.id, ['failed']);
    for (const run of await runsOf(task.id)) {
      expect(run).toMatchObject({ status: 'failed', reasonCode: 'selector_missing' });
      expect(run.reasonMessage).toContain('selectors.feedItem');
    }
    // Nothing was clicked in the wrong markup.
    for (const name of ['alice', 'bob'] as const) {
      const now = site.stats.account(name);
      expect(now.likes.length + now.follows.length + now.comments.length, name).toBe(
        before[name].likes.length + before[name].follows.length + before[name].comments.length,
      );
    }
  }, 180_000);

  it('holds a platform’s daily cap across sessions, and says so in the run log', async () => {
    const carol = await account('carol', 'reels', 'fixture-reels');
    const likes = { videos: range(3), likes: range(2) };
    const first = await createTask(database().db, jobs(), {
      name: 'cap 1',
      settings: typed(likes),
      accountIds: [carol],
      chatId: 7,
      actorId: 1,
    });
    await waitForTask(first.task.id, ['completed']);
    const second = await createTask(database().db, jobs(), {
      name: 'cap 2',
      settings: typed(likes),
      accountIds: [carol],
      chatId: 7,
      actorId: 1,
    });
    await waitForTask(second.task.id, ['completed']);
    // 2 in the first session, then only 1 left of the 3 a day.
    expect(site.stats.account('carol').likes).toHaveLength(3);
    const [run] = await runsOf(second.task.id);
    expect(run?.counters).toMatchObject({ likes: 1 });
    const log = (await lastLogLines(database().db, [run!.id], run!.runNumber, 50)).map((l) => l.line);
    expect(log).toContain('daily cap: likes at most 3 in 24 h, 2 done: at most 1 this session');
  }, 120_000);
});
