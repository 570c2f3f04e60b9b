// The embedded database shared by several processes of ours on one DATA_DIR: started at the same
// instant they all come up on one server; SIGKILL of the one that started it leaves the others
// working; the server stops when the last one leaves. As root, a DATA_DIR the `postgres` user
// cannot enter (mktemp -d, /root) keeps the cluster under /var/lib/warmup-bot instead.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { canConnect } from '../../src/db/embedded.ts';
import { SHARED_ROOT } from '../../src/db/embedded-host.ts';
import { removeDataDir } from '../support/data-dir.ts';
import { freePort } from '../support/global-setup.ts';

const USER_SCRIPT = path.resolve(import.meta.dirname, '../support/embedded-user.ts');
const isRoot = userInfo().uid === 0;

type User = {
  child: ChildProcessByStdio<null, Readable, Readable>;
  lines: string[];
  waitFor(pattern: RegExp, after?: number): Promise<string>;
  exited: Promise<number | null>;
};

function startUser(dataDir: string, port: number): User {
  const child = spawn(process.execPath, [USER_SCRIPT, dataDir, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  const onData = (d: Buffer) => {
    buffer += d;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    child,
    lines,
    exited,
    waitFor(pattern, after = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.slice(after).find((l) => pattern.test(l));
          if (found !== undefined) {
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (waiters.has(check))
            reject(new Error(`exited before ${pattern}: ${lines.slice(-5).join(' | ')}`));
        });
      });
    },
  };
}

async function serverUp(dataDir: string, port: number): Promise<boolean> {
  const password = (await readFile(path.join(dataDir, 'pg-password'), 'utf8')).trim();
  return canConnect(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await removeDataDir(dir);
});

describe('the embedded database, shared', () => {
  it('three processes started at once share one server; SIGKILL of its starter leaves the others working; the last to leave stops it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'warmup-shared-'));
    dirs.push(dataDir);
    const port = await freePort();
    const users = [startUser(dataDir, port), startUser(dataDir, port), startUser(dataDir, port)];
    const ready = await Promise.all(users.map((u) => u.waitFor(/^ready /)));
    expect(ready.filter((l) => l.includes('started=true'))).toHaveLength(1);
    const clusters = new Set(ready.map((l) => l.split('cluster=')[1]));
    expect(clusters.size).toBe(1);
    // As root the server runs as `postgres`, which cannot enter a mkdtemp directory (0700): the
    // cluster lives under SHARED_ROOT. Any other user runs it as itself, inside the data dir.
    expect([...clusters][0]).toMatch(
      isRoot
        ? new RegExp(`^${SHARED_ROOT}/data/warmup-shared-`)
        : new RegExp(`^${path.join(dataDir, 'pg')}$`),
    );
    expect((await readFile(path.join(dataDir, 'postgres-location'), 'utf8')).trim()).toBe([...clusters][0]);

    const starterIndex = ready.findIndex((l) => l.includes('started=true'));
    const [starter] = users.splice(starterIndex, 1);
    starter?.child.kill('SIGKILL');
    await starter?.exited;
    // The others keep working: fresh successful queries after the kill, and no errors.
    const marks = users.map((u) => u.lines.length);
    await Promise.all(users.map((u, i) => u.waitFor(/^(ok|error)/, (marks[i] ?? 0) + 3)));
    for (const u of users) expect(u.lines.filter((l) => l.startsWith('error'))).toEqual([]);

    const [first, last] = users as [User, User];
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const mark = last.lines.length;
    await last.waitFor(/^(ok|error)/, mark + 2);
    expect(last.lines.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(await serverUp(dataDir, port)).toBe(true);

    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
    expect(await serverUp(dataDir, port)).toBe(false);
    for (const u of [first, last]) expect(u.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  }, 120_000);
});
