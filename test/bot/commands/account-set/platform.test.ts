// The account's platform through real telegraf, the fake Bot API and Postgres: /account_add …
// platform=, /account_set … platform= (none: back to the default), an unknown name refused with
// the deployment's known ones, and the platform shown in /accounts and /account; audited.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { type ChatBot, people, startChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';

const database = useTestDatabase();
let bot: ChatBot;
const admin = people.admin;

beforeAll(async () => {
  // A deployment with a platform of its own (a WARMUP_SITE_PROFILES file) as its default.
  bot = await startChatBot(database(), {
    platforms: { names: ['fixture', 'instagram', 'tiktok', 'youtube'], defaultName: 'fixture' },
  });
});
afterAll(async () => {
  await bot?.stop();
});

const platformOf = async (username: string) => {
  const [row] = await database().db.select().from(accounts).where(eq(accounts.username, username));
  return row?.platform;
};

describe('the account’s platform', () => {
  it('/account_add … platform= adds the account on that platform, and audits it', async () => {
    const reply = await bot.ask(admin, '/account_add ana http://proxy.example:8080 platform=Instagram');
    expect(reply.split('\n')).toEqual([
      'Account @ana added with proxy proxy.example:8080. Attach its login: send a JSON file with the caption /login ana.',
      'Account @ana now warms on instagram.',
    ]);
    expect(await platformOf('ana')).toBe('instagram');
    const [audit] = await database().db.select().from(auditLog).where(eq(auditLog.action, 'account.add'));
    expect(audit?.details).toMatchObject({ username: 'ana', platform: 'instagram' });
    // Without platform= the account takes the deployment's default (stored as none).
    await bot.ask(admin, '/account_add ben platform=youtube');
    await bot.ask(admin, '/account_add cid');
    expect([await platformOf('ben'), await platformOf('cid')]).toEqual(['youtube', null]);
  });

  it('refuses an unknown platform with the known ones, adding or changing nothing', async () => {
    const refusal = 'There is no platform "myspace". Known platforms: fixture, instagram, tiktok, youtube.';
    expect(await bot.ask(admin, '/account_add dan platform=myspace')).toBe(refusal);
    expect(await platformOf('dan')).toBeUndefined();
    expect(await bot.ask(admin, '/account_set ana platform=myspace')).toBe(refusal);
    expect(await bot.ask(admin, '/account_set ana country=DE platform=myspace')).toBe(refusal);
    expect(await platformOf('ana')).toBe('instagram');
    expect(await bot.ask(people.viewer, '/account_set ana platform=myspace')).not.toContain('myspace');
  });

  it('/account_set … platform= changes it alone, or with the identity; none goes back to the default', async () => {
    expect(await bot.ask(admin, '/account_set ana platform=youtube')).toBe(
      'Account @ana now warms on youtube.',
    );
    expect(await platformOf('ana')).toBe('youtube');
    const both = await bot.ask(admin, '/account_set ana platform=tiktok country=DE');
    expect(both.split('\n')).toEqual([
      expect.stringMatching(/^Account @ana now shows: DE · de-DE · Europe\/Berlin · /),
      'Account @ana now warms on tiktok.',
    ]);
    expect(await bot.ask(admin, '/account_set ana platform=none')).toBe('Account @ana now warms on fixture.');
    expect(await platformOf('ana')).toBeNull();
    const audits = await database().db.select().from(auditLog).where(eq(auditLog.action, 'account.set'));
    expect(audits.map((a) => (a.details as { platform?: string | null }).platform)).toEqual([
      'youtube',
      'tiktok',
      null,
    ]);
    expect(await bot.ask(people.viewer, '/account_set ana platform=youtube')).not.toContain('now warms');
  });

  it('shows each account’s platform in /accounts and /account (the default for one naming none)', async () => {
    await bot.ask(admin, '/account_set ben platform=instagram');
    const list = await bot.ask(people.operator, '/accounts');
    expect(list).toMatch(/@ana — .* · fixture\n/);
    expect(list).toMatch(/@ben — .* · instagram\n/);
    expect(await bot.ask(people.operator, '/account ben')).toContain('\nPlatform: instagram\n');
    expect(await bot.ask(people.viewer, '/account cid')).toContain('\nПлатформа: fixture\n');
  });
});
