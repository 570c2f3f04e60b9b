// A bulk import against a real Postgres: the preview writes nothing and counts new / changed /
// unchanged; apply writes it all in one transaction with its own identity per new account and one
// audit line without a proxy; an account changed or added since the preview is still right; an
// export re-imports as unchanged and holds no password. Proxies are stored sealed with the session
// key; without a key a proxy with credentials is refused and nothing is written.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openProxy, ProxyKeyMissingError } from '../../../src/db/account-proxy.ts';
import { insertAccount as insertAccountWith } from '../../../src/db/accounts-repo.ts';
import type { Executor } from '../../../src/db/client.ts';
import { accounts, auditLog } from '../../../src/db/schema.ts';
import { writeFleetCsv } from '../../../src/tasks/fleet/export-file.ts';
import { exportFleet } from '../../../src/tasks/fleet/export-fleet.ts';
import { applyImport, previewImport } from '../../../src/tasks/fleet/import.ts';
import { type ParsedImport, parseImportFile } from '../../../src/tasks/fleet/import-file.ts';
import { identityKey, readIdentity } from '../../../src/warmup/identity.ts';
import { useTestDatabase, waitForLockWaits } from '../../support/db.ts';

const database = useTestDatabase();
const PLATFORMS = ['tiktok', 'instagram', 'youtube'];
const ADMIN = 42;
const KEY = randomBytes(32);
const withKey = { secretsKey: KEY };
let batch = 0;

const insertAccount = (db: Executor, account: Parameters<typeof insertAccountWith>[1]) =>
  insertAccountWith(db, account, withKey);
/** The proxy an account's row stores, opened with the key. */
const proxyOf = (row: typeof accounts.$inferSelect) => openProxy(row, KEY);

function parse(text: string): ParsedImport {
  const parsed = parseImportFile(text, { platforms: PLATFORMS });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.refusal));
  return parsed.file;
}

const rowsOf = (prefix: string) =>
  database()
    .db.select()
    .from(accounts)
    .where(sql`${accounts.username} like ${`${prefix}%`}`)
    .orderBy(sql`lower(${accounts.username})`);

describe('previewImport and applyImport', () => {
  it('previews without writing, then applies new, changed and unchanged accounts in one go', async () => {
    const { db } = database();
    const p = `imp${++batch}`;
    await insertAccount(db, { username: `${p}_kept`, proxyUrl: 'http://u:p@keep.example:1' });
    await insertAccount(db, { username: `${p}_proxy`, proxyUrl: 'http://u:old@old.example:1' });
    await insertAccount(db, { username: `${p}_tags` });
    const file = parse(
      [
        'username,proxy,tags,platform',
        `${p}_new1,new.example:8080:bob:Secret1,"Spring,us",instagram`,
        `${p}_new2,,,`,
        `${p}_kept,KEEP.example:1:u:p`,
        `${p}_proxy,none`,
        `${p}_tags,,x|y,youtube`,
        `${p}_bad,socks5://u:Secret2@h.example:1080`,
      ].join('\n'),
    );
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(accounts);
    const preview = await previewImport(db, file, withKey);
    expect(preview).toEqual({
      added: 2,
      changed: 2,
      unchanged: 1,
      changes: { proxy: 1, tags: 1, platform: 1 },
      names: { added: [`${p}_new1`, `${p}_new2`], changed: [`${p}_proxy`, `${p}_tags`] },
      bad: [{ line: 7, reason: 'socks5Auth' }],
    });
    expect(await db.select({ n: sql<number>`count(*)::int` }).from(accounts)).toEqual(before);

    const result = await applyImport(db, file, ADMIN, withKey);
    expect(result).toEqual({ added: 2, changed: 2, unchanged: 1, bad: 1 });
    const rows = await rowsOf(p);
    expect(
      rows.map((r) => ({ username: r.username, proxyUrl: proxyOf(r), tags: r.tags, platform: r.platform })),
    ).toEqual([
      { username: `${p}_kept`, proxyUrl: 'http://u:p@keep.example:1', tags: [], platform: null },
      {
        username: `${p}_new1`,
        proxyUrl: 'http://bob:Secret1@new.example:8080',
        tags: ['spring', 'us'],
        platform: 'instagram',
      },
      { username: `${p}_new2`, proxyUrl: null, tags: [], platform: null },
      { username: `${p}_proxy`, proxyUrl: null, tags: [], platform: null },
      { username: `${p}_tags`, proxyUrl: null, tags: ['x', 'y'], platform: 'youtube' },
    ]);
    // At rest: sealed, the host in clear, nothing in proxy_url.
    expect(rows.map((r) => [r.proxyUrl, r.proxyHost])).toEqual([
      [null, 'keep.example:1'],
      [null, 'new.example:8080'],
      [null, null],
      [null, null],
      [null, null],
    ]);
    expect(JSON.stringify(rows)).not.toContain('Secret1');
    const created = rows.filter((r) => r.username.includes('_new'));
    expect(created.every((r) => r.createdBy === ADMIN && readIdentity(r.identity))).toBe(true);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'account.import'));
    expect(audit).toMatchObject({ actorId: ADMIN, details: { added: 2, changed: 2, unchanged: 1, bad: 1 } });
    expect(JSON.stringify(audit)).not.toMatch(/Secret|example/);
    // Applied once more, the same file changes nothing.
    expect(await previewImport(db, file, withKey)).toMatchObject({ added: 0, changed: 0, unchanged: 5 });
  });

  it('gives 300 new accounts 300 different identities, none equal to one already stored', async () => {
    const { db } = database();
    const p = `many${++batch}`;
    const stored = await insertAccount(db, {
      username: `${p}_0`,
      identity: readIdentity({
        country: 'US',
        locale: 'en-US',
        timezoneId: 'America/New_York',
        screen: { width: 1920, height: 1080 },
        viewport: { width: 1920, height: 980 },
        deviceScaleFactor: 1,
      }),
    });
    const file = parse(
      Array.from({ length: 300 }, (_, i) => `${p}_${i + 1},h${i}.example:1000:u:pw${i}`).join('\n'),
    );
    expect(await applyImport(db, file, ADMIN, withKey)).toMatchObject({ added: 300 });
    const keys = (await rowsOf(p)).map((r) => identityKey(readIdentity(r.identity)!));
    expect(new Set(keys).size).toBe(301);
    expect(keys).toContain(identityKey(readIdentity(stored!.identity)!));
  });

  it('applies what is true at apply time: rows changed or added since the preview', async () => {
    const { db } = database();
    const p = `race${++batch}`;
    await insertAccount(db, { username: `${p}_a`, proxyUrl: 'http://a.example:1' });
    const file = parse(`${p}_a,a.example:1,t1\n${p}_b,b.example:2,t2\n${p}_c,c.example:3`);
    expect(await previewImport(db, file, withKey)).toMatchObject({ added: 2, changed: 1, unchanged: 0 });
    // Meanwhile: someone adds b by hand with the same proxy, and a's tags are set to what the file says.
    await insertAccount(db, { username: `${p}_B`, proxyUrl: 'http://b.example:2' });
    await db
      .update(accounts)
      .set({ tags: ['t1'] })
      .where(eq(accounts.username, `${p}_a`));
    expect(await applyImport(db, file, ADMIN, withKey)).toEqual({
      added: 1,
      changed: 1,
      unchanged: 1,
      bad: 0,
    });
    const rows = await rowsOf(p);
    expect(rows.map((r) => [r.username, proxyOf(r), r.tags])).toEqual([
      [`${p}_a`, 'http://a.example:1', ['t1']],
      [`${p}_B`, 'http://b.example:2', ['t2']],
      [`${p}_c`, 'http://c.example:3', []],
    ]);
  });

  it('changes, not duplicates, an account another transaction inserts while the import applies', async () => {
    const { db, sql: pg } = database();
    const p = `conc${++batch}`;
    const file = parse(`${p}_d,d.example:4,late\n${p}_e`);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let insertedD!: () => void;
    const dInserted = new Promise<void>((resolve) => {
      insertedD = resolve;
    });
    const other = pg.begin(async (tx) => {
      await tx`insert into accounts (username, proxy_url) values (${`${p}_D`}, 'http://d.example:4')`;
      insertedD();
      await held;
    });
    await dInserted;
    const applying = applyImport(db, file, ADMIN, withKey);
    // The import's insert of d waits on the other transaction's uncommitted row.
    await waitForLockWaits(db, 1);
    release();
    await other;
    expect(await applying).toEqual({ added: 1, changed: 1, unchanged: 0, bad: 0 });
    expect((await rowsOf(p)).map((r) => [r.username, proxyOf(r), r.tags])).toEqual([
      [`${p}_D`, 'http://d.example:4', ['late']],
      [`${p}_e`, null, []],
    ]);
  });

  it('writes nothing when the transaction fails half-way', async () => {
    const { db } = database();
    const p = `fail${++batch}`;
    const file = parse(`${p}_a,a.example:1\n${p}_b,b.example:2,tag`);
    // The parser refuses whatever the database would; a constraint added for the test fails the second row.
    await db.execute(
      sql`alter table accounts add constraint fleet_test_no_tag check (not ('tag' = any(tags)))`,
    );
    try {
      await expect(applyImport(db, file, ADMIN, withKey)).rejects.toThrow();
    } finally {
      await db.execute(sql`alter table accounts drop constraint fleet_test_no_tag`);
    }
    expect(await rowsOf(p)).toEqual([]);
  });

  it('exports every live account without a password, and the export re-imports as unchanged', async () => {
    const { db } = database();
    const p = `exp${++batch}`;
    await applyImport(
      db,
      parse(
        [
          'username;proxy;tags;platform',
          `${p}_a;h.example:8080:user:TopSecret9;spring|us;instagram`,
          `${p}_b;socks5://s.example:1080;;`,
          `${p}_c;;;`,
        ].join('\n'),
      ),
      ADMIN,
      withKey,
    );
    await db
      .update(accounts)
      .set({ removedAt: new Date() })
      .where(eq(accounts.username, `${p}_c`));
    const rows = (await exportFleet(db)).filter((r) => r.username.startsWith(p));
    expect(rows.map((r) => [r.username, r.platform, r.tags, r.proxyHost, r.hasLogin, r.quarantined])).toEqual(
      [
        [`${p}_a`, 'instagram', ['spring', 'us'], 'h.example:8080', false, false],
        [`${p}_b`, null, [], 's.example:1080', false, false],
      ],
    );
    expect(rows[0]!.identity).toMatch(/^US · en-US · /);
    const csv = writeFleetCsv(await exportFleet(db));
    expect(csv).not.toContain('TopSecret9');
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFFusername,platform,health,tags,proxy_host,login,quarantined,last_warmed,identity',
    );
    const again = parseImportFile(csv, { platforms: PLATFORMS });
    if (!again.ok) throw new Error(JSON.stringify(again.refusal));
    expect(again.file.bad).toEqual([]);
    const preview = await previewImport(db, again.file, withKey);
    expect(preview).toMatchObject({ added: 0, changed: 0, bad: [] });
    expect(preview.unchanged).toBe(again.file.rows.length);
    expect(again.file.rows.map((r) => r.username)).not.toContain(`${p}_c`);
  });

  it('without a key, refuses a proxy with credentials and writes nothing; keeps one without in clear', async () => {
    const { db } = database();
    const p = `nokey${++batch}`;
    const secret = parse(`${p}_a,a.example:1\n${p}_b,b.example:2:user:NoKey5`);
    await expect(applyImport(db, secret, ADMIN)).rejects.toThrow(ProxyKeyMissingError);
    await expect(
      insertAccountWith(db, { username: `${p}_c`, proxyUrl: 'http://u@c.example:3' }),
    ).rejects.toThrow(ProxyKeyMissingError);
    expect(await rowsOf(p)).toEqual([]);
    expect(await applyImport(db, parse(`${p}_a,a.example:1`), ADMIN)).toMatchObject({ added: 1 });
    const [row] = await rowsOf(p);
    expect(row).toMatchObject({
      proxyUrl: 'http://a.example:1',
      proxyHost: 'a.example:1',
      proxyEncrypted: null,
    });
  });
});
