// Choosing, paging and tagging the fleet on a real Postgres: groups and names united, unwarmable
// accounts left out of groups only, removed accounts never seen (and their names free again), every
// account on exactly one page, counts per health, tags in use.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../../src/db/accounts-repo.ts';
import { accounts, auditLog } from '../../../src/db/schema.ts';
import type { HealthState } from '../../../src/db/vocabulary.ts';
import { setAccountTags } from '../../../src/tasks/fleet/account-tags.ts';
import { listAccountsPage } from '../../../src/tasks/fleet/list.ts';
import { parseSelection, resolveSelection } from '../../../src/tasks/fleet/selection.ts';
import { useTestDatabase } from '../../support/db.ts';

const database = useTestDatabase();
const ids = new Map<string, number>();

async function add(
  username: string,
  fields: {
    tags?: string[];
    health?: HealthState;
    platform?: string;
    proxyUrl?: string;
    removed?: boolean;
  } = {},
) {
  const { db } = database();
  const row = await insertAccount(
    db,
    { username, proxyUrl: fields.proxyUrl ?? null },
    { secretsKey: randomBytes(32) },
  );
  await db
    .update(accounts)
    .set({
      tags: fields.tags ?? [],
      health: fields.health ?? 'ok',
      platform: fields.platform ?? null,
      removedAt: fields.removed ? new Date() : null,
    })
    .where(eq(accounts.id, row!.id));
  ids.set(username, row!.id);
  return row!.id;
}

const idsOf = (...names: string[]) => names.map((n) => ids.get(n)!);

beforeAll(async () => {
  await add('alice', { tags: ['spring', 'us'], health: 'blocked' });
  await add('bob', { tags: ['spring'] });
  await add('carol', { tags: ['spring'], health: 'captcha' });
  await add('dave', { tags: ['us'], platform: 'instagram', health: 'proxy_error' });
  await add('erin', { platform: 'tiktok', health: 'unknown' });
  await add('frank', { tags: ['spring'], removed: true });
  await add('gone', { tags: ['old'], removed: true });
});

describe('resolveSelection', () => {
  it('takes a tag’s warmable accounts and counts the ones it leaves out', async () => {
    const { db } = database();
    expect(await resolveSelection(db, ['tag:spring'])).toEqual({
      ok: true,
      accountIds: idsOf('bob'),
      unknownNames: [],
      unknownTags: [],
      unknownPlatforms: [],
      leftOut: 2,
    });
  });

  it('unites tags and names; a named account is taken whatever its health', async () => {
    const { db } = database();
    const resolved = await resolveSelection(db, ['tag:SPRING', 'tag:us', 'alice', '@Erin']);
    expect(resolved).toMatchObject({
      ok: true,
      accountIds: idsOf('alice', 'bob', 'dave', 'erin'),
      leftOut: 1,
    });
  });

  it('takes every warmable live account for all, or every live one when asked', async () => {
    const { db } = database();
    expect(await resolveSelection(db, ['all'])).toMatchObject({
      accountIds: idsOf('bob', 'dave', 'erin'),
      leftOut: 2,
    });
    expect(await resolveSelection(db, ['all'], { includeUnwarmable: true })).toMatchObject({
      accountIds: idsOf('alice', 'bob', 'carol', 'dave', 'erin'),
      leftOut: 0,
    });
  });

  it('selects by platform, an account without one counting as the default', async () => {
    const { db } = database();
    expect(await resolveSelection(db, ['platform:instagram'])).toMatchObject({ accountIds: idsOf('dave') });
    expect(await resolveSelection(db, ['platform:tiktok'], { defaultPlatform: 'tiktok' })).toMatchObject({
      accountIds: idsOf('bob', 'erin'),
      leftOut: 2,
    });
    expect(
      await resolveSelection(db, ['platform:reddit'], { knownPlatforms: ['tiktok', 'instagram'] }),
    ).toMatchObject({ accountIds: [], unknownPlatforms: ['reddit'] });
  });

  it('never selects a removed account, and reports names and tags it does not know', async () => {
    const { db } = database();
    expect(
      await resolveSelection(db, ['frank', 'nobody', 'tag:old', 'tag:spring', 'tag:nope']),
    ).toMatchObject({
      accountIds: idsOf('bob'),
      unknownNames: ['frank', 'nobody'],
      unknownTags: ['old', 'nope'],
    });
  });

  it('refuses a token that is neither a name, a tag nor a platform', async () => {
    const { db } = database();
    expect(await resolveSelection(db, ['bob', 'tag:-x'])).toEqual({
      ok: false,
      problem: { code: 'badTag', token: 'tag:-x' },
    });
    expect(parseSelection(['x!'])).toEqual({ ok: false, problem: { code: 'badName', token: 'x!' } });
    expect(parseSelection(['platform:'])).toMatchObject({ ok: false, problem: { code: 'badPlatform' } });
    expect(parseSelection([' ', ''])).toMatchObject({ ok: false, problem: { code: 'empty' } });
  });

  it('lets a removed name be added again, and then selects the new account', async () => {
    const { db } = database();
    const removed = ids.get('gone');
    const again = await add('gone', { tags: ['old'] });
    expect(again).not.toBe(removed);
    expect(await resolveSelection(db, ['gone', 'tag:old'])).toMatchObject({
      accountIds: [again],
      unknownTags: [],
    });
    await db.update(accounts).set({ removedAt: new Date() }).where(eq(accounts.id, again));
  });
});

describe('listAccountsPage', () => {
  it('pages the fleet by name, each live account once, with counts per health and the tags in use', async () => {
    const { db } = database();
    for (let i = 0; i < 40; i++)
      await add(`page${String(i).padStart(2, '0')}`, {
        tags: i % 2 ? ['odd'] : [],
        health: i % 10 === 0 ? 'logged_out' : 'ok',
        proxyUrl: i === 0 ? 'http://user:Hidden7@p.example:3128' : undefined,
      });
    const first = await listAccountsPage(db, { page: 1 });
    expect(first).toMatchObject({ page: 1, pages: 3, pageSize: 20, total: 45 });
    expect(first.healthCounts).toEqual({
      unknown: 1,
      ok: 37,
      logged_out: 4,
      captcha: 1,
      blocked: 1,
      proxy_error: 1,
    });
    expect(first.tags).toEqual([
      { tag: 'odd', n: 20 },
      { tag: 'spring', n: 3 },
      { tag: 'us', n: 2 },
    ]);
    const seen: string[] = [];
    for (let page = 1; page <= first.pages; page++)
      seen.push(...(await listAccountsPage(db, { page })).rows.map((r) => r.username));
    const live = await db
      .select({ username: accounts.username })
      .from(accounts)
      .where(sql`${accounts.removedAt} is null`)
      .orderBy(sql`lower(${accounts.username})`);
    expect(seen).toEqual(live.map((r) => r.username));
    const page00 = first.rows.find((r) => r.username === 'page00')!;
    expect(page00.proxyHost).toBe('p.example:3128');
    expect(JSON.stringify(first)).not.toContain('Hidden7');
  });

  it('filters by health and tag, counts health within the tag, and brings a page number within range', async () => {
    const { db } = database();
    const odd = await listAccountsPage(db, { tag: 'odd', page: 99 });
    expect(odd).toMatchObject({ page: 1, pages: 1, total: 20 });
    expect(odd.healthCounts).toMatchObject({ ok: 20, logged_out: 0 });
    const out = await listAccountsPage(db, { health: 'logged_out', page: 1 });
    expect(out.rows.map((r) => r.username)).toEqual(['page00', 'page10', 'page20', 'page30']);
    expect(await listAccountsPage(db, { health: 'blocked', tag: 'spring', page: 0 })).toMatchObject({
      total: 1,
      rows: [expect.objectContaining({ username: 'alice' })],
    });
    expect(await listAccountsPage(db, { tag: 'nothing', page: 3 })).toMatchObject({
      page: 1,
      pages: 1,
      rows: [],
    });
  });
});

describe('setAccountTags', () => {
  it('sets, clears and refuses tags, audited', async () => {
    const { db } = database();
    expect(await setAccountTags(db, { username: 'BOB', tags: 'EU, spring|new', actorId: 7 })).toEqual({
      ok: true,
      accountId: ids.get('bob'),
      tags: ['eu', 'new', 'spring'],
      before: ['spring'],
    });
    expect(await setAccountTags(db, { username: 'bob', tags: 'bad tag!', actorId: 7 })).toEqual({
      ok: false,
      problem: 'badTag',
    });
    expect(await setAccountTags(db, { username: 'frank', tags: 'x', actorId: 7 })).toEqual({
      ok: false,
      problem: 'unknownAccount',
    });
    expect(await setAccountTags(db, { username: 'bob', tags: 'none', actorId: 7 })).toMatchObject({
      tags: [],
    });
    const [row] = await db
      .select()
      .from(accounts)
      .where(eq(accounts.id, ids.get('bob')!));
    expect(row!.tags).toEqual([]);
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, 'account.tags'));
    expect(audits.map((a) => a.details)).toEqual([
      { accountId: ids.get('bob'), tags: ['eu', 'new', 'spring'], before: ['spring'] },
      { accountId: ids.get('bob'), tags: [], before: ['eu', 'new', 'spring'] },
    ]);
  });
});
