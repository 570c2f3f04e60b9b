// Failing queries that carry secrets, through real workers, pg-boss and Postgres: neither the log
// nor the job's stored output nor the run's reason holds a parameter, only message, code and cause.
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { runs } from '../../src/db/schema.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { QUEUES } from '../../src/jobs/queues.ts';
import type { SessionRunner } from '../../src/jobs/session-runner.ts';
import { createTaskJobs } from '../../src/jobs/task-jobs.ts';
import type { Workers } from '../../src/jobs/workers.ts';
import { createLogger } from '../../src/logger.ts';
import { serializeError } from '../../src/safe-error.ts';
import { createTask } from '../../src/tasks/create-task.ts';
import { sealLogin } from '../../src/tasks/login-cipher.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeAccounts } from '../support/fixtures.ts';
import { startTestBoss, startTestWorkers } from '../support/jobs.ts';

const database = useTestDatabase();
const SECRET = 'TOPSECRET-param-value-42';
const logLines: string[] = [];
const log = createLogger({
  level: 'info',
  format: 'json',
  destination: new PassThrough().on('data', (chunk: Buffer) => logLines.push(chunk.toString())),
});
let boss: Boss;
let workers: Workers | undefined;

beforeAll(async () => {
  // A failure stays in 'retry' with its error as the job's output while the test reads it.
  boss = await startTestBoss(database(), { sessionRetryLimit: 3, sessionRetryDelaySeconds: 600 });
});
afterEach(async () => {
  await workers?.stop(0);
  workers = undefined;
});
afterAll(async () => {
  await boss?.boss.stop({ graceful: false, timeout: 1000 });
});

async function runTask(runner: SessionRunner, secretsKey?: Buffer) {
  const { db } = database();
  workers = await startTestWorkers(database(), boss, runner, 1, { log, secretsKey });
  const jobs = createTaskJobs(boss.boss, () => 0);
  const [accountId] = await makeAccounts(db, 1, 'safe');
  const settings = { parallel: 1, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 };
  const { task } = await createTask(db, jobs, {
    name: 'secrets',
    settings,
    accountIds: [accountId!],
    chatId: 10,
    actorId: 1,
  });
  const [run] = await db.select().from(runs).where(eq(runs.taskId, task.id));
  return run!.id;
}

/** The session job's output once pg-boss stored a failure for it. */
async function failedJobOutput(runId: number): Promise<string> {
  return vi.waitFor(
    async () => {
      const rows = await database().db.execute<{ output: unknown }>(
        sql`select output from pgboss.job where name = ${QUEUES.session}
            and (data->>'runId')::int = ${runId} and output is not null`,
      );
      expect(rows.length).toBeGreaterThan(0);
      return JSON.stringify(rows[0]!.output);
    },
    { timeout: 20_000, interval: 100 },
  );
}

it('a runner whose query fails on a secret parameter: the log, the job output and the run hold no value', async () => {
  const { db } = database();
  const runId = await runTask(async () => {
    // Postgres even quotes the value in its message: invalid input syntax for type integer: "…".
    await db.execute(sql`select ${SECRET}::int`);
    throw new Error('unreachable');
  });
  const output = await failedJobOutput(runId);
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  const logged = logLines.join('');
  expect(logged).toContain('session runner threw');
  expect(logged).toContain('"code":"22P02"');
  expect(run?.reasonMessage).toBe('database query failed: invalid input syntax for type integer: "…"');
  expect(output).toContain('database query failed');
  for (const written of [logged, output, JSON.stringify(run)]) {
    expect(written).not.toContain(SECRET);
    expect(written).not.toContain('params');
  }
});

it('a handler whose write fails on an encrypted login: the stored output is message, code and cause', async () => {
  const { db } = database();
  const key = randomBytes(32);
  await db.execute(sql`
    create function refuse_login() returns trigger language plpgsql as $$
    begin raise exception 'saved logins are read-only today' using errcode = 'P0001'; end $$`);
  await db.execute(sql`create trigger refuse_login before update of login_encrypted on accounts
    for each row execute function refuse_login()`);
  try {
    const state = {
      cookies: [{ name: 'sessionid', value: SECRET, domain: '.x.test', path: '/' }],
      origins: [],
    };
    const runId = await runTask(
      async () => ({ status: 'completed', counters: {}, cappedByTime: false, storageState: state }),
      key,
    );
    const output = JSON.parse(await failedJobOutput(runId));
    expect(output).toMatchObject({
      message: 'database query failed',
      cause: { message: 'saved logins are read-only today', code: 'P0001' },
    });
    const written = JSON.stringify(output) + logLines.join('');
    expect(written).not.toContain('params');
    expect(written).not.toContain('login_encrypted');
    expect(written).not.toContain(sealLogin(key, state).toString('hex').slice(0, 32));
  } finally {
    await db.execute(sql`drop trigger refuse_login on accounts`);
    await db.execute(sql`drop function refuse_login`);
  }
});

it('the serializer keeps a cause chain and drops every other field', () => {
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
    code: 'ECONNREFUSED',
    detail: SECRET,
  });
  const err = Object.assign(new Error('could not fetch http://u:pw@proxy.test:8080/', { cause }), {
    response: { body: SECRET },
  });
  const safe = serializeError(err);
  expect(safe).toMatchObject({
    type: 'Error',
    message: 'could not fetch http://u:[redacted]@proxy.test:8080/',
    cause: { message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' },
  });
  expect(JSON.stringify(safe)).not.toContain(SECRET);
  expect(JSON.stringify(safe)).not.toContain(':pw@');
});
