// `npm run sessions:rekey` as a real child process against a real database: every saved session
// moves from the old key to the new one in one transaction; a session the old key cannot read
// makes it refuse and change nothing.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { eq, isNotNull } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { accounts } from '../../src/db/schema.ts';
import { decryptSession, encryptSession } from '../../src/tasks/session-cipher.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeAccounts } from '../support/fixtures.ts';
import { runToExit } from '../support/main-process.ts';

const SCRIPT = path.resolve(import.meta.dirname, '../../scripts/sessions-rekey.ts');
const database = useTestDatabase();
const oldKey = randomBytes(32);
const newKey = randomBytes(32);

const rekey = (env: Record<string, string>) =>
  runToExit(SCRIPT, { DATABASE_URL: database().url, ...env }, path.dirname(SCRIPT));

const state = (n: number) => ({ cookies: [{ name: 'sid', value: `v${n}`, domain: '.x.test' }], origins: [] });
const hex = (key: Buffer) => key.toString('hex');

async function sessions() {
  return database()
    .db.select({ id: accounts.id, username: accounts.username, blob: accounts.sessionEncrypted })
    .from(accounts)
    .where(isNotNull(accounts.sessionEncrypted))
    .orderBy(accounts.id);
}

it('refuses, changing nothing, when one session does not decrypt with the old key; then rotates all', async () => {
  const { db } = database();
  const ids = await makeAccounts(db, 3, 'rekey');
  for (const [i, id] of ids.entries()) {
    const key = i === 2 ? randomBytes(32) : oldKey; // the third was saved under some other key
    await db
      .update(accounts)
      .set({ sessionEncrypted: encryptSession(key, state(i)) })
      .where(eq(accounts.id, id));
  }
  const before = await sessions();
  const refused = await rekey({
    SESSION_ENCRYPTION_KEY: hex(oldKey),
    NEW_SESSION_ENCRYPTION_KEY: hex(newKey),
  });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    `Nothing changed: 1 saved sessions do not decrypt with the current key (${before[2]!.username})`,
  );
  expect(await sessions()).toEqual(before);

  await db
    .update(accounts)
    .set({ sessionEncrypted: encryptSession(oldKey, state(2)) })
    .where(eq(accounts.id, ids[2]!));
  const done = await rekey({
    SESSION_ENCRYPTION_KEY: hex(oldKey),
    NEW_SESSION_ENCRYPTION_KEY: newKey.toString('base64'),
  });
  expect(done).toMatchObject({ code: 0, stderr: '' });
  expect(done.stdout).toContain('Re-encrypted 3 saved sessions with the new key.');
  const after = await sessions();
  expect(after.map((row) => decryptSession(newKey, row.blob!))).toEqual([state(0), state(1), state(2)]);
  expect(() => decryptSession(oldKey, after[0]!.blob!)).toThrow();
  // Output and errors name accounts, never keys.
  expect(done.stdout + refused.stderr).not.toMatch(new RegExp(`${hex(oldKey)}|${hex(newKey)}`));

  const again = await rekey({ SESSION_ENCRYPTION_KEY: hex(oldKey), NEW_SESSION_ENCRYPTION_KEY: hex(newKey) });
  expect(again).toMatchObject({
    code: 1,
    stderr: 'All 3 saved sessions already use the new key: nothing to do.\n',
  });
});

it('wants a well-formed new key', async () => {
  const bad = await rekey({ SESSION_ENCRYPTION_KEY: hex(oldKey), NEW_SESSION_ENCRYPTION_KEY: 'short' });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^NEW_SESSION_ENCRYPTION_KEY: must be 32 bytes/);
  expect(bad.stderr).not.toContain('short');
});
