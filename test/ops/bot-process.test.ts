// The bot's intake in a real process: killed mid-batch and started again, every update is handled
// exactly once; a second poller (409 on every getUpdates) turns /readyz red, and in ROLE=all the
// workers go on running sessions; a taken webhook port stops startup before anything else.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { botUpdates } from '../../src/db/schema.ts';
import { upsertUser } from '../../src/db/users-repo.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { fixtureAccount } from '../support/accounts.ts';
import { useTestDatabase } from '../support/db.ts';
import { type FixtureSite, startFixtureSite } from '../support/fixture-site.ts';
import { waitForTaskStatus } from '../support/fixtures.ts';
import { freePort } from '../support/global-setup.ts';
import { createTaskOn, startTestBoss } from '../support/jobs.ts';
import { startMain } from '../support/main-process.ts';
import { quickSettings, range } from '../support/quick-settings.ts';
import { useFakeBotApi } from '../support/telegram.ts';

const database = useTestDatabase();
const key = randomBytes(32);
const chats = [3001, 3002, 3003];
const fake = useFakeBotApi();
let site: FixtureSite | undefined;
let boss: Boss | undefined;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'warmup-bot-process-'));
  for (const id of chats) await upsertUser(database().db, { telegramId: id, role: 'viewer' });
});
afterAll(async () => {
  await boss?.boss.stop({ graceful: false, timeout: 1000 });
  await site?.close();
  await rm(dir, { recursive: true, force: true });
});

const botEnv = (extra: Record<string, string> = {}) => ({
  ROLE: 'bot',
  DATABASE_URL: database().url,
  TELEGRAM_BOT_TOKEN: fake.token,
  TELEGRAM_API_ROOT: fake.apiRoot,
  SESSION_ENCRYPTION_KEY: key.toString('hex'),
  LOG_LEVEL: 'info',
  ...extra,
});
const from = (id: number) => ({ id, username: `u${id}`, language_code: 'en' });
const [A, B, C] = chats as [number, number, number];

describe('killed mid-batch', () => {
  it('handles every update exactly once after a restart', async () => {
    // Sent while no bot runs: the first getUpdates returns them as one batch.
    fake.sendText({ from: from(A), text: '/help' });
    fake.sendText({ from: from(B), text: '/help' });
    fake.sendText({ from: from(A), text: '/list' });
    fake.sendText({ from: from(C), text: '/help' });
    const held = fake.hold('sendMessage', (call) => call.params.chat_id === A);
    const first = startMain(botEnv());
    await held.reached;
    await fake.waitFor(() => fake.messages(B).length + fake.messages(C).length === 2 || undefined);
    // B and C are marked handled; A's two wait (the first in flight, the second behind it).
    await vi.waitFor(
      async () => {
        const left = await database().db.select().from(botUpdates).where(isNull(botUpdates.handledAt));
        expect(left).toHaveLength(2);
      },
      { timeout: 10_000, interval: 50 },
    );
    first.child.kill('SIGKILL');
    await first.exited;
    // Released only once the fake saw the connection close: a reply that never reached Telegram.
    await held.gone;
    held.release();

    const second = startMain(botEnv());
    await second.waitForLog(/^handling updates a previous run stored but did not finish$/);
    const texts = await fake.waitFor(() => {
      const got = fake.messages(A).map((m) => String(m.text));
      return got.length === 2 && got;
    });
    expect(texts[0]).toContain('Your role'); // /help, then /list: in order
    expect(texts[1]).not.toContain('Your role');
    expect(fake.messages(B)).toHaveLength(1);
    expect(fake.messages(C)).toHaveLength(1);
    await vi.waitFor(
      async () => {
        const left = await database().db.select().from(botUpdates).where(isNull(botUpdates.handledAt));
        expect(left).toEqual([]);
      },
      { timeout: 10_000, interval: 50 },
    );
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(fake.messages(A)).toHaveLength(2);
  }, 120_000);
});

describe('a taken TELEGRAM_WEBHOOK_PORT', () => {
  it('fails startup with one line, before setWebhook and before any worker starts', async () => {
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const main = startMain(
        botEnv({
          ROLE: 'all',
          TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/hook',
          TELEGRAM_WEBHOOK_SECRET: 'webhook-secret-0123456789',
          TELEGRAM_WEBHOOK_PORT: String(port),
        }),
      );
      expect(await main.exited).toBe(1);
      const stderr = main.stderrText().trim().split('\n');
      expect(stderr).toEqual([
        `TELEGRAM_WEBHOOK_PORT 127.0.0.1:${port} is already in use by another process: free it or choose another TELEGRAM_WEBHOOK_PORT / TELEGRAM_WEBHOOK_HOST.`,
      ]);
      expect(fake.calls('setWebhook')).toEqual([]);
      expect(main.output()).not.toMatch(/browser found|workers started/);
    } finally {
      taken.close();
    }
  }, 60_000);
});

describe('a second poller in ROLE=all', () => {
  it('turns /readyz red naming the cause while the workers go on; answers again once it is gone', async () => {
    site = await startFixtureSite();
    const profilePath = path.join(dir, 'profile.json');
    await writeFile(profilePath, JSON.stringify(site.profile));
    fake.failAll({
      status: 409,
      description: 'Conflict: terminated by other getUpdates request',
      methods: ['getUpdates'],
    });
    const main = startMain(
      botEnv({ ROLE: 'all', WARMUP_SITE_PROFILE: profilePath, WORKER_CONCURRENCY: '1' }),
    );
    await main.waitForLog(/^another process is polling updates for this bot token/);
    await main.waitForLog(/^warmup-bot running$/);
    const url = await main.httpUrl();
    const readiness = (await (await fetch(`${url}/readyz`)).json()) as {
      ready: boolean;
      checks: Record<string, { ok: boolean; error?: string }>;
    };
    expect(readiness.ready).toBe(false);
    expect(readiness.checks.bot).toMatchObject({
      ok: false,
      error: 'another process is polling this bot token (409 Conflict from getUpdates)',
    });
    expect(readiness.checks.browser).toMatchObject({ ok: true });

    boss = await startTestBoss(database());
    const account = await fixtureAccount(database().db, key, site, 'poller1');
    const { task } = await createTaskOn(boss, database().db, {
      name: 'during a conflict',
      settings: quickSettings({ videos: range(1), watchSeconds: range(0) }),
      accountIds: [account],
      chatId: A,
    });
    await waitForTaskStatus(database().db, task.id, 'completed', 60_000, 250);
    // Retried, and said once.
    await fake.waitFor(
      () => fake.calls('getUpdates').filter((c) => c.status === 409).length >= 3 || undefined,
    );
    expect(main.output().match(/another process is polling updates/g)).toHaveLength(1);

    fake.recover();
    const before = fake.messages(C).length;
    fake.sendText({ from: from(C), text: '/help' });
    await fake.waitFor(() => fake.messages(C).length > before || undefined, { timeout: 60_000 });
    await main.waitForLog(/^long polling resumed/);
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
  }, 150_000);
});
