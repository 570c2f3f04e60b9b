// `npm run secrets:rekey` as a real child process against a real database: every saved login,
// proxy and stored update moves from the old key to the new one in one transaction; a login or
// proxy the old key cannot read makes it refuse and change nothing. `sessions:rekey` is its alias.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, isNotNull } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { openProxy } from '../../src/db/account-proxy.ts';
import { storeAccountProxies } from '../../src/db/fleet-repo.ts';
import { accounts, botUpdates } from '../../src/db/schema.ts';
import { openSecret } from '../../src/db/secret-box.ts';
import { storeUpdates } from '../../src/db/updates-repo.ts';
import { openLogin, sealLogin } from '../../src/tasks/login-cipher.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeAccounts } from '../support/fixtures.ts';
import { runToExit } from '../support/main-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
/** The file `npm run secrets:rekey` runs. */
const SCRIPT = path.join(ROOT, scripts['secrets:rekey']!.replace(/^node /, ''));
const database = useTestDatabase();
const oldKey = randomBytes(32);
const newKey = randomBytes(32);

const rekey = (env: Record<string, string>) =>
  runToExit(SCRIPT, { DATABASE_URL: database().url, ...env }, path.dirname(SCRIPT));

const state = (n: number) => ({ cookies: [{ name: 'sid', value: `v${n}`, domain: '.x.test' }], origins: [] });
const hex = (key: Buffer) => key.toString('hex');

const proxy = (n: number) => `http://u${n}:Pw${n}@p${n}.example:1`;

async function proxies() {
  return database()
    .db.select({ id: accounts.id, proxyEncrypted: accounts.proxyEncrypted, proxyUrl: accounts.proxyUrl })
    .from(accounts)
    .where(isNotNull(accounts.proxyEncrypted))
    .orderBy(accounts.id);
}

async function logins() {
  return database()
    .db.select({ id: accounts.id, username: accounts.username, blob: accounts.loginEncrypted })
    .from(accounts)
    .where(isNotNull(accounts.loginEncrypted))
    .orderBy(accounts.id);
}

it('refuses, changing nothing, when one saved login does not decrypt with the old key; then rotates all', async () => {
  const { db } = database();
  const ids = await makeAccounts(db, 3, 'rekey');
  for (const [i, id] of ids.entries()) {
    const key = i === 2 ? randomBytes(32) : oldKey; // the third was saved under some other key
    await db
      .update(accounts)
      .set({ loginEncrypted: sealLogin(key, state(i)) })
      .where(eq(accounts.id, id));
  }
  // Proxies: the first two under the old key, the third under another; one waiting update each way.
  for (const [i, id] of ids.entries())
    await storeAccountProxies(db, [{ accountId: id, proxyUrl: proxy(i) }], {
      secretsKey: i === 2 ? randomBytes(32) : oldKey,
    });
  await storeUpdates(db, 1, [{ update: { update_id: 1 }, sentAt: null }], oldKey);
  await storeUpdates(db, 1, [{ update: { update_id: 2 }, sentAt: null }], randomBytes(32));
  const before = await logins();
  const proxiesBefore = await proxies();
  const refused = await rekey({
    SESSION_ENCRYPTION_KEY: hex(oldKey),
    NEW_SESSION_ENCRYPTION_KEY: hex(newKey),
  });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(
    `Nothing changed: 1 saved logins (${before[2]!.username}) and 1 proxies (of ${before[2]!.username}) do not decrypt with the current key.`,
  );
  expect(await logins()).toEqual(before);
  expect(await proxies()).toEqual(proxiesBefore);

  await db
    .update(accounts)
    .set({ loginEncrypted: sealLogin(oldKey, state(2)) })
    .where(eq(accounts.id, ids[2]!));
  await storeAccountProxies(db, [{ accountId: ids[2]!, proxyUrl: proxy(2) }], { secretsKey: oldKey });
  const done = await rekey({
    SESSION_ENCRYPTION_KEY: hex(oldKey),
    NEW_SESSION_ENCRYPTION_KEY: newKey.toString('base64'),
  });
  expect(done).toMatchObject({ code: 0, stderr: '' });
  expect(done.stdout).toContain(
    'Re-encrypted 3 saved logins, 3 proxies and 1 stored updates with the new key.',
  );
  const after = await logins();
  expect(after.map((row) => openLogin(newKey, row.blob!))).toEqual([state(0), state(1), state(2)]);
  expect(() => openLogin(oldKey, after[0]!.blob!)).toThrow();
  expect((await proxies()).map((row) => openProxy(row, newKey))).toEqual([proxy(0), proxy(1), proxy(2)]);
  const inbox = await db.select().from(botUpdates).orderBy(botUpdates.updateId);
  expect(openSecret(newKey, inbox[0]!.payloadEncrypted!)).toEqual({ update_id: 1 });
  // Sealed by a process without the key: nobody can read it, so it is left as it is.
  expect(() => openSecret(newKey, inbox[1]!.payloadEncrypted!)).toThrow();
  // Output and errors name accounts, never keys.
  expect(done.stdout + refused.stderr).not.toMatch(new RegExp(`${hex(oldKey)}|${hex(newKey)}`));

  const again = await rekey({ SESSION_ENCRYPTION_KEY: hex(oldKey), NEW_SESSION_ENCRYPTION_KEY: hex(newKey) });
  expect(again).toMatchObject({
    code: 1,
    stderr: 'All 3 saved logins and 3 proxies already use the new key: nothing to do.\n',
  });
});

it('is run as secrets:rekey, and as sessions:rekey — its older name, which deployments still call', () => {
  expect(scripts['secrets:rekey']).toBe('node scripts/secrets-rekey.ts');
  expect(scripts['sessions:rekey']).toBe(scripts['secrets:rekey']);
});

it('wants a well-formed new key', async () => {
  const bad = await rekey({ SESSION_ENCRYPTION_KEY: hex(oldKey), NEW_SESSION_ENCRYPTION_KEY: 'short' });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^NEW_SESSION_ENCRYPTION_KEY: must be 32 bytes/);
  expect(bad.stderr).not.toContain('short');
});
