// Real pg-boss on the test database (useTestBoss: one per file, workers per test), tasks created and
// read on it, this process's workers, and a session runner that tests steer: each session waits
// until the test lets it finish, and reports what was running.
import { EventEmitter } from 'node:events';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { runs, tasks } from '../../src/db/schema.ts';
import { type Boss, startBoss } from '../../src/jobs/boss.ts';
import type { QueueTimings } from '../../src/jobs/queues.ts';
import type { SessionOutcome, SessionRunInput, SessionRunner } from '../../src/jobs/session-runner.ts';
import { createTaskJobs } from '../../src/jobs/task-jobs.ts';
import { startWorkers, type WorkerDeps, type Workers } from '../../src/jobs/workers.ts';
import { createLogger } from '../../src/logger.ts';
import { createTask } from '../../src/tasks/create-task.ts';
import type { JobPort } from '../../src/tasks/ports.ts';
import type { WarmupSettings } from '../../src/warmup/settings.ts';
import type { TestDatabase } from './db.ts';
import { waitForTaskStatus } from './fixtures.ts';
import { tinyPng } from './png.ts';
import { standIn, started } from './stand-in.ts';
import { checkSynchronous } from './sync-predicate.ts';

export const testLog = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', format: 'json' });

export async function startTestBoss(
  database: TestDatabase,
  timings: Partial<QueueTimings> = {},
): Promise<Boss> {
  return startBoss({
    url: database.url,
    log: testLog,
    monitorIntervalSeconds: 1,
    timings: { sessionRetryDelaySeconds: 1, ...timings },
    schedule: false,
    max: 5,
  });
}

export async function startTestWorkers(
  database: TestDatabase,
  boss: Boss,
  runner: SessionRunner,
  concurrency = 4,
  extra: Partial<WorkerDeps> = {},
): Promise<Workers> {
  return startWorkers({
    boss,
    db: database.db,
    runner,
    log: testLog,
    concurrency,
    secretsKey: undefined,
    progressIntervalMs: 0,
    ...extra,
  });
}

export type TestQueue = {
  boss: Boss;
  /** The JobPort on this boss, with no pause between a task's starts. */
  jobs: JobPort;
  /** This process's workers for the current test; stopped after it unless already (their jobs handed back at once). */
  startWorkers(runner: SessionRunner, concurrency?: number, extra?: Partial<WorkerDeps>): Promise<Workers>;
};

/**
 * startTestBoss on the file's database before its tests (or its describe's), stopped after them;
 * the workers a test starts through it stop after that test, so the next knows who runs its sessions.
 */
export function useTestBoss(database: () => TestDatabase, timings: Partial<QueueTimings> = {}): TestQueue {
  let current: TestQueue | undefined;
  const running: Workers[] = [];
  beforeAll(async () => {
    const boss = await startTestBoss(database(), timings);
    current = {
      boss,
      jobs: createTaskJobs(boss.boss, () => 0),
      async startWorkers(runner, concurrency = 4, extra = {}) {
        const workers = await startTestWorkers(database(), boss, runner, concurrency, extra);
        // A test may stop them itself (a deploy, a crash): stopping again after it is a no-op.
        let stopping: Promise<void> | undefined;
        const once: Workers = { ...workers, stop: (graceMs) => (stopping ??= workers.stop(graceMs)) };
        running.push(once);
        return once;
      },
    };
  });
  afterEach(async () => {
    for (const workers of running.splice(0)) await workers.stop(0);
  });
  afterAll(async () => {
    await current?.boss.boss.stop({ graceful: false, timeout: 1000 });
  });
  return standIn(() => started(current, 'useTestBoss'));
}

/** Tasks on the queue for tests: create one (chat 10, user 1, no pause), read it and its runs, wait for a status. */
export function queueTasks(database: () => TestDatabase, queue: TestQueue) {
  const db = () => database().db;
  const taskRow = async (id: number) => (await db().select().from(tasks).where(eq(tasks.id, id)))[0]!;
  return {
    newTask: (name: string, accountIds: number[], parallel = 1) =>
      createTask(db(), queue.jobs, {
        name,
        settings: { parallel, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 },
        accountIds,
        chatId: 10,
        actorId: 1,
      }),
    taskRow,
    runRows: (taskId: number) => db().select().from(runs).where(eq(runs.taskId, taskId)).orderBy(runs.id),
    waitForTask: (id: number, status: string, timeout = 20_000) =>
      waitForTaskStatus(db(), id, status, timeout),
  };
}

/**
 * A task as /new creates it, its jobs sent on `boss` (no pause between starts): `settings` over
 * `accountIds`, reporting to `chatId`, whose user created it.
 */
export function createTaskOn(
  boss: Boss,
  db: Db,
  task: { name: string; accountIds: number[]; settings: WarmupSettings; chatId: number },
) {
  return createTask(
    db,
    createTaskJobs(boss.boss, () => 0),
    { ...task, actorId: task.chatId },
  );
}

type Plan = (input: SessionRunInput, attempt: number) => SessionOutcome | Promise<SessionOutcome>;

export const completed = (): SessionOutcome => ({
  status: 'completed',
  counters: { itemsViewed: 1 },
  cappedByTime: false,
});
export const failed = (reason: string, retryable: boolean): SessionOutcome => ({
  status: 'failed',
  reason,
  message: `${reason} happened`,
  retryable,
  screenshot: tinyPng(),
  counters: {},
});

/**
 * A SessionRunner whose sessions stay open until released (or aborted). It records the most
 * sessions open at once, overall and per account, and emits on every change so tests wait on
 * state instead of sleeping.
 */
export function steeredRunner(options: { plan?: Plan; autoRelease?: boolean } = {}) {
  const events = new EventEmitter();
  const open = new Map<number, { username: string; release: () => void }>();
  const perAccount = new Map<string, number>();
  const attempts = new Map<string, number>();
  const stats = { started: [] as string[], maxOpen: 0, maxPerAccount: 0, aborted: [] as string[] };
  let nextId = 0;
  const runner: SessionRunner = async (input) => {
    const id = nextId++;
    const name = input.account.username;
    const attempt = (attempts.get(name) ?? 0) + 1;
    attempts.set(name, attempt);
    stats.started.push(name);
    perAccount.set(name, (perAccount.get(name) ?? 0) + 1);
    stats.maxPerAccount = Math.max(stats.maxPerAccount, perAccount.get(name)!);
    input.log(`session ${attempt} for ${name}`);
    input.onProgress({ itemsViewed: 0 });
    try {
      const aborted = await new Promise<boolean>((resolve) => {
        open.set(id, { username: name, release: () => resolve(false) });
        stats.maxOpen = Math.max(stats.maxOpen, open.size);
        if (input.signal.aborted) resolve(true);
        input.signal.addEventListener('abort', () => resolve(true), { once: true });
        events.emit('change');
        if (options.autoRelease) resolve(false);
      });
      if (aborted) {
        stats.aborted.push(name);
        return { ...failed('cancelled', false), message: 'aborted' };
      }
      return (await options.plan?.(input, attempt)) ?? completed();
    } finally {
      open.delete(id);
      perAccount.set(name, perAccount.get(name)! - 1);
      events.emit('change');
    }
  };
  const waitFor = (predicate: () => boolean, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      if (checkSynchronous(predicate(), 'steeredRunner waitFor', 'a runner state')) return resolve();
      const timer = setTimeout(() => {
        events.off('change', check);
        reject(new Error(`runner state not reached in ${timeoutMs} ms: ${JSON.stringify(describe())}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        events.off('change', check);
        resolve();
      };
      events.on('change', check);
    });
  const describe = () => ({ open: [...open.values()].map((s) => s.username), ...stats });
  return {
    runner,
    stats,
    waitFor,
    openSessions: () => [...open.values()].map((s) => s.username),
    /** Let every open session of this account (or all) finish. */
    release(username?: string) {
      for (const s of open.values()) if (!username || s.username === username) s.release();
    },
  };
}
