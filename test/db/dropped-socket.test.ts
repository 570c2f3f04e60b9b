// A dropped database socket must never end the process: backends are terminated 200 times under
// write load (a child process, so a crash in postgres.js is observable), and every query either
// succeeds or rejects. Guards patches/postgres+3.4.9.patch (porsager/postgres#1208, #1192).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../support/db.ts';

const LOAD = path.resolve(import.meta.dirname, '../support/dropped-socket-load.ts');
const database = useTestDatabase();
let killer: postgres.Sql;

beforeAll(async () => {
  await database().sql`create table load_rows (id serial primary key, source text not null, v int not null)`;
  killer = postgres(database().url, { max: 1, onnotice: () => {} });
});
afterAll(async () => {
  await killer?.end();
});

type LoadResult = {
  started: number;
  succeeded: number;
  rejected: number;
  codes: Record<string, number>;
  settled: boolean;
  unsettled: string[];
  recovered: boolean;
};

/** Runs the load in a child process, terminates 200 of its backends, and returns its counts. */
async function terminateUnderLoad(app: string, reserved: boolean): Promise<LoadResult> {
  const child = spawn(process.execPath, [LOAD], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: database().url,
      LOAD_APP_NAME: app,
      LOAD_RESERVED: reserved ? '1' : '0',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  const alive = () => {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the load process died:\n${stderr.slice(-3000)}`);
  };
  try {
    await vi.waitFor(() => expect(stdout).toContain('ready'), { timeout: 30_000 });
    // Each kill waits for a backend that connected since the last one: the load has come back.
    const killed = new Set<number>();
    for (let round = 0; killed.size < 200; round++) {
      const fresh = await vi.waitFor(
        async () => {
          alive();
          const rows = await killer<{ pid: number }[]>`select pid from pg_stat_activity
            where application_name = ${app} and datname = current_database()`;
          const found = rows.map((r) => r.pid).filter((pid) => !killed.has(pid));
          expect(found.length).toBeGreaterThan(0);
          return found;
        },
        { timeout: 15_000, interval: 5 },
      );
      // Mostly one backend at a time; every tenth round all of them at once.
      for (const pid of round % 10 === 9 ? fresh : fresh.slice(0, 1)) {
        killed.add(pid);
        await killer`select pg_terminate_backend(${pid})`;
      }
    }
    alive();
    child.stdin.write('stop\n');
    const [code] = await exited;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('backends terminated 200 times under write load', () => {
  it('pooled queries and transactions (what the app runs): the process lives, every query settles', async () => {
    const result = await terminateUnderLoad('dropped-socket-pool', false);
    expect(result).toMatchObject({ unsettled: [], settled: true, recovered: true });
    expect(result.succeeded + result.rejected).toBe(result.started);
    expect(result.rejected).toBeGreaterThan(0); // the kills landed
    expect(result.succeeded).toBeGreaterThan(0);
  }, 180_000);

  it('with reserved connections too: the process lives, every query on a connection settles', async () => {
    const result = await terminateUnderLoad('dropped-socket-reserved', true);
    // With reserve() in play, a waiter for a connection may wait for good: postgres.js can hand a
    // reconnecting connection to the wrong waiter after a backend died (porsager/postgres#1199, not
    // patched here; the app never reserves, and the test above holds every pooled query and
    // transaction to settling). Seen in CI: a transaction's `begin` still waiting after 15 s. What
    // ran on a connection — a reserved connection's queries, a transaction's body — settles.
    const waitingForAConnection = ['reserve', 'pooled', 'transaction'];
    expect(result.unsettled.filter((label) => !waitingForAConnection.includes(label))).toEqual([]);
    expect(result.rejected).toBeGreaterThan(0);
    expect(result.codes).not.toHaveProperty('TypeError');
  }, 180_000);
});
