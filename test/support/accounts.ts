// Accounts whose saved login logs them in to the fixture site (cookie acct=<name>), stored
// encrypted exactly as /login would store them.
import { eq } from 'drizzle-orm';
import { insertAccount } from '../../src/db/accounts-repo.ts';
import type { Db } from '../../src/db/client.ts';
import { accounts } from '../../src/db/schema.ts';
import { sealLogin } from '../../src/tasks/login-cipher.ts';
import type { FixtureSite } from './fixture-site.ts';

export async function fixtureAccount(db: Db, key: Buffer, site: FixtureSite, name: string): Promise<number> {
  const row = await insertAccount(db, { username: name });
  if (!row) throw new Error(`account ${name} exists already`);
  const loginEncrypted = sealLogin(key, site.storageStateFor(name));
  await db.update(accounts).set({ loginEncrypted, health: 'ok' }).where(eq(accounts.id, row.id));
  return row.id;
}
