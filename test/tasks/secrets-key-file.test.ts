// DATA_DIR/session.key: made once and exclusively, shared by processes that start together, and
// never replaced — unreadable or malformed, it is a startup error that says what to do.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOrCreateSecretsKey, SecretsKeyError } from '../../src/tasks/secrets-key-file.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'warmup-key-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const fileIn = async (name: string) => path.join(await mkdtemp(path.join(dir, `${name}-`)), 'session.key');

describe('readOrCreateSecretsKey', () => {
  it('creates a 32-byte key readable by the owner only, then reads the same key back', async () => {
    const file = await fileIn('create');
    const first = await readOrCreateSecretsKey(file);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.key.toString('hex'));
    const again = await readOrCreateSecretsKey(file);
    expect(again).toEqual({ key: first.key, created: false });
    expect(await readdir(path.dirname(file))).toEqual(['session.key']); // no draft left behind
  });

  it('processes starting together all end up with the one key', async () => {
    const file = await fileIn('race');
    const results = await Promise.all(Array.from({ length: 8 }, () => readOrCreateSecretsKey(file)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const hex = (await readFile(file, 'utf8')).trim();
    for (const r of results) expect(r.key.toString('hex')).toBe(hex);
  });

  it('a malformed key is an error and the file is left as it was', async () => {
    for (const content of [
      '',
      'abcd\n',
      `${'ab'.repeat(31)}\n`,
      `${'zz'.repeat(32)}\n`,
      `${'ab'.repeat(33)}\n`,
    ]) {
      const file = await fileIn('bad');
      await writeFile(file, content, { mode: 0o600 });
      const err = await readOrCreateSecretsKey(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SecretsKeyError);
      expect((err as Error).message).toMatch(
        /does not hold a secrets key \(64 hex characters, 32 bytes\); it is not replaced/,
      );
      expect((err as Error).message).not.toContain('\n');
      expect(await readFile(file, 'utf8')).toBe(content);
    }
  });

  it('an unreadable key is an error, not a reason to write a new one', async () => {
    const file = await fileIn('unreadable');
    // A directory where the key should be: reading fails with EISDIR even as root.
    await mkdir(file);
    const err = await readOrCreateSecretsKey(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretsKeyError);
    expect((err as Error).message).toMatch(
      /^Cannot read .*session\.key: EISDIR\. Fix its permissions; it is not replaced\.$/,
    );
    expect((await stat(file)).isDirectory()).toBe(true);
  });
});
