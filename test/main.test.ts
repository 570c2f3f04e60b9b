// The entry point as a real child process: embedded Postgres start, reuse, and the one-line
// answers for a missing token and an unreachable database.
import { tmpdir } from 'node:os';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { makeDataDir, removeDataDir } from './support/data-dir.ts';
import { freePort } from './support/global-setup.ts';
import { MAIN, runToExit, startMain } from './support/main-process.ts';

/** main.ts run to its end (JSON logs, any free HTTP port), from a directory with no .env. */
const runMain = (env: Record<string, string>) =>
  runToExit(MAIN, { LOG_FORMAT: 'json', HTTP_PORT: '0', ...env }, tmpdir());

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await removeDataDir(dir);
});

describe('main', () => {
  it('starts the embedded database, migrates, explains the missing token; a second start reuses the data', async () => {
    const dataDir = await makeDataDir('warmup-main-');
    dirs.push(dataDir);
    const port = String(await freePort());
    const env = { DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: port };

    const first = await runMain({ ...env, TELEGRAM_ADMIN_IDS: '777' });
    expect(first.code).toBe(1);
    expect(first.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^TELEGRAM_BOT_TOKEN is not set: .*@BotFather/),
    ]);
    expect(first.stdout).toContain('embedded Postgres started');
    expect(first.stdout).toContain('migrations applied');

    const second = await runMain(env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('TELEGRAM_BOT_TOKEN is not set');

    // The data survived both exits; TELEGRAM_ADMIN_IDS is read at every check, never written.
    const server = await startEmbeddedPostgres({ dataDir, port: Number(port) });
    const sql = postgres(server.url, { max: 1 });
    try {
      const rows = await sql`select telegram_id::int as id, role from users`;
      expect(rows).toHaveLength(0);
      const [migrations] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(migrations?.n).toBeGreaterThan(0);
    } finally {
      await sql.end();
      await server.stop();
    }
  }, 90_000);

  it('a worker needs no token', async () => {
    // With ROLE=worker the missing token is no error; the process runs until it is signalled.
    // startMain fails with the child's output when it exits early, instead of waiting out the timeout.
    const dataDir = await makeDataDir('warmup-main-');
    dirs.push(dataDir);
    const worker = startMain({
      ROLE: 'worker',
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
    });
    await worker.waitForLog(/^warmup-bot running$/, 60_000);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('shutting down');
  }, 90_000);

  it('an unreachable DATABASE_URL gives one line naming the host, without the password or a stack', async () => {
    const result = await runMain({ DATABASE_URL: 'postgres://bob:hunter2secret@127.0.0.1:1/warmup' });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot reach Postgres at 127\.0\.0\.1:1\/warmup: connection refused\./);
    expect(result.stderr + result.stdout).not.toContain('hunter2secret');
  });

  it('a wrong setting is named with what is expected', async () => {
    const result = await runMain({ WORKER_CONCURRENCY: 'lots', ROLE: 'everything' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ROLE: must be one of: all, bot, worker (got "everything")');
    expect(result.stderr).toContain(
      'WORKER_CONCURRENCY: must be a whole number between 1 and 16 (got "lots")',
    );
  });
});
