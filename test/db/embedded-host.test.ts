// Where the embedded server's parts live as root, and secret files created exactly once.
import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOrCreateSecret } from '../../src/db/embedded.ts';
import { findBinaries, postgresUser, reachableBinaries, SHARED_ROOT } from '../../src/db/embedded-host.ts';
import { makeDataDir, removeDataDir } from '../support/data-dir.ts';

const isRoot = userInfo().uid === 0;
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanup) await fn();
});

describe('secret files', () => {
  it('twenty concurrent first starts agree on one value', async () => {
    const dir = await makeDataDir();
    cleanup.push(() => removeDataDir(dir));
    const file = path.join(dir, 'pg-password');
    let made = 0;
    const values = await Promise.all(
      Array.from({ length: 20 }, () => readOrCreateSecret(file, () => `value-${++made}`)),
    );
    expect(new Set(values).size).toBe(1);
    expect((await readFile(file, 'utf8')).trim()).toBe(values[0]);
  });

  it('an empty or unreadable file is an error, never replaced', async () => {
    const dir = await makeDataDir();
    cleanup.push(() => removeDataDir(dir));
    const empty = path.join(dir, 'empty');
    await writeFile(empty, '\n');
    await expect(readOrCreateSecret(empty, () => 'new')).rejects.toThrow(/is empty/);
    expect(await readFile(empty, 'utf8')).toBe('\n');
    const directory = path.join(dir, 'a-directory');
    await mkdir(directory);
    await expect(readOrCreateSecret(directory, () => 'new')).rejects.toThrow(/EISDIR/);
  });
});

describe.runIf(isRoot)('as root', () => {
  it('binaries the postgres user cannot reach are copied where it can, once per version', async () => {
    const closed = await makeDataDir('warmup-closed-');
    await chmod(closed, 0o700);
    const real = await findBinaries();
    await cp(path.dirname(real.bin), path.join(closed, 'native'), {
      recursive: true,
      verbatimSymlinks: true,
    });
    const version = `test-${process.pid}`;
    const copy = { bin: path.join(closed, 'native', 'bin'), version };
    const user = await postgresUser();
    const bin = await reachableBinaries(copy, user);
    cleanup.push(async () => {
      await rm(path.dirname(bin), { recursive: true, force: true });
      await rm(closed, { recursive: true, force: true });
    });
    expect(bin.startsWith(path.join(SHARED_ROOT, 'postgres', version))).toBe(true);
    const run = spawnSync(path.join(bin, 'postgres'), ['--version'], { uid: user?.uid, gid: user?.gid });
    expect(run.stdout.toString()).toMatch(/PostgreSQL\) \d+/);
    expect(await reachableBinaries(copy, user)).toBe(bin);
  });

  it('binaries it can reach are used in place', async (ctx) => {
    const real = await findBinaries();
    // node_modules of this checkout: in place when the checkout is open to others (as in CI).
    const user = await postgresUser();
    const open = spawnSync('test', ['-x', path.join(real.bin, 'postgres')], {
      uid: user?.uid,
      gid: user?.gid,
    });
    // A checkout closed to others (under /root, say) has no binaries the postgres user can reach:
    // the copy is what the test above covers.
    if (open.status !== 0) ctx.skip(`the postgres user cannot run ${real.bin}/postgres in this checkout`);
    expect(await reachableBinaries(real, user)).toBe(real.bin);
  });
});
