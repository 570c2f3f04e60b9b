// The split the docs describe, on one host: ROLE=bot and ROLE=worker started at the same instant
// on one DATA_DIR and its embedded database. Both come up; the worker, although it has the token,
// never polls Telegram nor sends anything; SIGKILL of the worker mid-session → a new worker
// finishes the task and the chat gets exactly one final message; SIGKILL of the bot → the worker
// goes on with its session.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { runs, tasks } from '../../src/db/schema.ts';
import { fixtureAccount } from '../support/accounts.ts';
import { people } from '../support/bot.ts';
import { makeDataDir, removeDataDir } from '../support/data-dir.ts';
import { type FakeBotApi, startFakeBotApi } from '../support/fake-bot-api.ts';
import { type FixtureSite, startFixtureSite } from '../support/fixture-site.ts';
import { freePort } from '../support/global-setup.ts';
import { QUICK_RECOVERY, startMain } from '../support/main-process.ts';

const key = randomBytes(32);
const chat = people.operator.id;
let site: FixtureSite;
let dataDir: string;
let port: number;
// The bot talks to `telegram`; workers get the same token but another fake, so any call a worker
// makes to the Bot API is seen there.
let telegram: FakeBotApi;
let workerTelegram: FakeBotApi;
let database: Database | undefined;

beforeAll(async () => {
  site = await startFixtureSite();
  dataDir = await makeDataDir('warmup-split-');
  port = await freePort();
  await writeFile(path.join(dataDir, 'profile.json'), JSON.stringify(site.profile));
  telegram = await startFakeBotApi();
  workerTelegram = await startFakeBotApi({ token: telegram.token });
});
afterAll(async () => {
  await database?.close();
  await telegram?.close();
  await workerTelegram?.close();
  await site?.close();
  await removeDataDir(dataDir);
});

const env = (role: 'bot' | 'worker') => ({
  ROLE: role,
  DATA_DIR: dataDir,
  EMBEDDED_POSTGRES_PORT: String(port),
  TELEGRAM_BOT_TOKEN: telegram.token,
  TELEGRAM_API_ROOT: role === 'bot' ? telegram.apiRoot : workerTelegram.apiRoot,
  TELEGRAM_ADMIN_IDS: String(chat),
  SESSION_ENCRYPTION_KEY: key.toString('hex'),
  WARMUP_SITE_PROFILE: path.join(dataDir, 'profile.json'),
  WORKER_CONCURRENCY: '1',
  SHUTDOWN_GRACE_SECONDS: '2',
  LOG_LEVEL: 'info',
  ...QUICK_RECOVERY,
});

async function openSharedDatabase(): Promise<Database> {
  const password = (await readFile(path.join(dataDir, 'pg-password'), 'utf8')).trim();
  return openDatabase(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/warmup`, {
    max: 3,
  });
}

const said = () => telegram.messages(chat).map((m) => String(m.text ?? m.caption ?? ''));

async function newTask(account: string): Promise<number> {
  const before = said().length;
  telegram.sendText({
    from: people.operator,
    text: `/new accounts=${account} videos=4-4 watch=2-2 delay=0-0`,
  });
  const created = await telegram.waitFor(
    () =>
      said()
        .slice(before)
        .find((t) => /#\d+/.test(t)),
    {
      timeout: 30_000,
      description: 'the task created',
    },
  );
  return Number(/#(\d+)/.exec(created)![1]);
}

async function taskStatus(id: number) {
  const [row] = await database!.db.select().from(tasks).where(eq(tasks.id, id));
  return row?.status;
}

describe('ROLE=bot beside ROLE=worker on one embedded database', () => {
  it('both come up at once; a killed worker’s session is finished by the next; a killed bot leaves the worker running', async () => {
    const bot = startMain(env('bot'));
    let worker = startMain(env('worker'));
    await Promise.all([bot.waitForLog(/^warmup-bot running$/), worker.waitForLog(/^warmup-bot running$/)]);
    const starters = [bot, worker].filter((p) => p.output().includes('"embedded Postgres started"'));
    expect(starters).toHaveLength(1);
    database = await openSharedDatabase();
    for (const name of ['split1', 'split2']) await fixtureAccount(database.db, key, site, name);

    // SIGKILL of the worker mid-session: the next worker finishes it, and one final message comes.
    const first = await newTask('split1');
    await site.stats.waitFor(() => site.stats.openSessions('split1') === 1, 60_000, 'the session to open');
    worker.child.kill('SIGKILL');
    await worker.exited;
    worker = startMain(env('worker'));
    await vi.waitFor(async () => expect(await taskStatus(first)).toBe('completed'), {
      timeout: 150_000,
      interval: 500,
    });
    await telegram.waitFor(() => said().some((t) => t.startsWith(`✅ #${first} `)), {
      timeout: 30_000,
      description: 'the final message',
    });
    expect(said().filter((t) => t.startsWith(`✅ #${first} `) || t.startsWith(`❌ #${first} `))).toHaveLength(
      1,
    );

    // SIGKILL of the bot mid-session: the worker's session goes on and completes.
    const second = await newTask('split2');
    await site.stats.waitFor(() => site.stats.openSessions('split2') === 1, 60_000, 'the session to open');
    bot.child.kill('SIGKILL');
    await bot.exited;
    await vi.waitFor(async () => expect(await taskStatus(second)).toBe('completed'), {
      timeout: 90_000,
      interval: 500,
    });
    const [run] = await database.db.select().from(runs).where(eq(runs.taskId, second));
    expect(run).toMatchObject({ status: 'completed', attempts: 1 });
    expect(worker.child.exitCode).toBeNull();

    // The workers had the token all along and never used it.
    expect(workerTelegram.calls()).toEqual([]);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 300_000);
});
