// /account_add chooses a stored identity unlike every other account's; /account_set changes it
// through real telegraf, the fake Bot API and Postgres — all or nothing, with one clear sentence
// for every bad value, admins only, audited.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { identityKey, readIdentity } from '../../../../src/warmup/identity.ts';
import { people, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';

const database = useTestDatabase();
const admin = people.admin;

const bot = useChatBot(database);

const identityOf = async (username: string) => {
  const [row] = await database().db.select().from(accounts).where(eq(accounts.username, username));
  return row?.identity;
};

describe('identities', () => {
  it('/account_add stores a valid identity, different for every account', async () => {
    const names = ['ida', 'ivan', 'iris', 'igor', 'ines', 'ilya'];
    for (const name of names) await bot.ask(admin, `/account_add ${name}`);
    const keys = new Set<string>();
    for (const name of names) {
      const identity = readIdentity(await identityOf(name));
      expect(identity, name).toBeDefined();
      keys.add(identityKey(identity!));
    }
    expect(keys.size).toBe(names.length);
  });

  it('/account_set changes country, timezone, viewport and scale at once, and audits it', async () => {
    const reply = await bot.ask(admin, '/account_set ida country=DE viewport=1440x820 scale=2');
    expect(reply).toBe('Account @ida now shows: DE · de-DE · Europe/Berlin · 1440×820@2x.');
    expect(await identityOf('ida')).toMatchObject({
      country: 'DE',
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      viewport: { width: 1440, height: 820 },
      deviceScaleFactor: 2,
    });
    const [audit] = await database().db.select().from(auditLog).where(eq(auditLog.action, 'account.set'));
    expect(audit).toMatchObject({ actorId: admin.id, details: { keys: ['country', 'viewport', 'scale'] } });
  });

  it('takes a user agent with spaces, and auto to follow the browser again', async () => {
    const ua =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36';
    expect(await bot.ask(admin, `/account_set ivan user_agent=${ua}`)).toContain('fixed user agent');
    expect(await identityOf('ivan')).toMatchObject({ userAgent: ua });
    await bot.ask(admin, '/account_set ivan user_agent=auto');
    expect(await identityOf('ivan')).not.toHaveProperty('userAgent');
  });

  it('refuses an identity another account has, unless shared=yes', async () => {
    const ida = readIdentity(await identityOf('ida'))!;
    const same = `country=DE timezone=${ida.timezoneId} locale=${ida.locale} viewport=${ida.viewport.width}x${ida.viewport.height} scale=${ida.deviceScaleFactor}`;
    // The screen follows the viewport only upward; give iris ida's screen first.
    await database()
      .db.update(accounts)
      .set({ identity: { ...readIdentity(await identityOf('iris'))!, screen: ida.screen } })
      .where(eq(accounts.username, 'iris'));
    const before = await identityOf('iris');
    expect(await bot.ask(admin, `/account_set iris ${same}`)).toBe(
      'Another account already has exactly this identity. Add shared=yes if they should share it.',
    );
    expect(await identityOf('iris')).toEqual(before);
    expect(await bot.ask(admin, `/account_set iris ${same} shared=yes`)).toContain('now shows');
    expect(identityKey(readIdentity(await identityOf('iris'))!)).toBe(identityKey(ida));
  });

  it('identity=new draws a fresh one for the same country', async () => {
    const before = readIdentity(await identityOf('igor'))!;
    await bot.ask(admin, '/account_set igor identity=new');
    const after = readIdentity(await identityOf('igor'))!;
    expect(after.country).toBe(before.country);
    expect(identityKey(after)).not.toBe(identityKey(before));
  });

  it('switches an account to its anti-detect profile and back, shown on its page', async () => {
    expect(await bot.ask(admin, '/account_set ilya browser=cdp')).toBe(
      'A cdp browser needs a profile first: profile=dolphin:<profile id>.',
    );
    expect(await bot.ask(admin, '/account_set ilya browser=cdp profile=dolphin:4711 inject_login=yes')).toBe(
      'Account @ilya now runs in the anti-detect profile dolphin:4711 (+login).',
    );
    const [row] = await database().db.select().from(accounts).where(eq(accounts.username, 'ilya'));
    expect(row).toMatchObject({
      browser: 'cdp',
      browserProfile: { provider: 'dolphin', profileId: '4711', injectLogin: true },
    });
    expect(await bot.ask(people.viewer, '/account ilya')).toContain('антидетект-профиль dolphin:4711');
    await bot.ask(admin, '/account_set ilya browser=local');
    const [back] = await database().db.select().from(accounts).where(eq(accounts.username, 'ilya'));
    expect(back).toMatchObject({ browser: 'local', identity: row!.identity });
  });

  it('reads inject_session, the older name of inject_login, and a profile stored under it', async () => {
    expect(await bot.ask(admin, '/account_set ivan browser=cdp profile=dolphin:77 inject_session=yes')).toBe(
      'Account @ivan now runs in the anti-detect profile dolphin:77 (+login).',
    );
    const [row] = await database().db.select().from(accounts).where(eq(accounts.username, 'ivan'));
    expect(row?.browserProfile).toEqual({ provider: 'dolphin', profileId: '77', injectLogin: true });
    // A row written before the rename keeps its choice.
    await database()
      .db.update(accounts)
      .set({ browserProfile: { provider: 'dolphin', profileId: '78', injectSession: true } })
      .where(eq(accounts.username, 'ivan'));
    expect(await bot.ask(admin, '/account_set ivan browser=cdp')).toBe(
      'Account @ivan now runs in the anti-detect profile dolphin:78 (+login).',
    );
  });

  it.each([
    ['/account_set ines browser=firefox', '"firefox" is not a browser'],
    ['/account_set ines profile=gologin:1', '"gologin:1" is not a profile'],
    ['/account_set ines profile=dolphin:', '"dolphin:" is not a profile'],
    ['/account_set ines inject_login=maybe', 'inject_login=maybe: use yes or no.'],
    ['/account_set', 'Usage: /account_set <username> key=value…'],
    ['/account_set ines', 'Usage: /account_set <username> key=value…'],
    ['/account_set nobody country=DE', 'There is no account @nobody.'],
    ['/account_set ines colour=red', 'There is no setting "colour".'],
    ['/account_set ines DE', '"DE" is not a key=value setting.'],
    ['/account_set ines country=DE country=FR', '"country" is given twice.'],
    ['/account_set ines country=XX', '"XX" is not a country I know'],
    ['/account_set ines locale=german', '"german" is not a locale'],
    ['/account_set ines timezone=Mars/Base', '"Mars/Base" is not a timezone'],
    ['/account_set ines viewport=big', '"big" is not a viewport'],
    ['/account_set ines viewport=640x480', '"640x480" is not a viewport'],
    ['/account_set ines scale=9', '"9" is not a device scale'],
    ['/account_set ines user_agent=short', '"short" is not a user agent'],
    ['/account_set ines identity=old', 'identity=old: the only value is identity=new'],
    ['/account_set ines country=FR scale=0', '"0" is not a device scale'],
  ])('%s → one sentence, nothing changed', async (command, expected) => {
    const row = async () =>
      (await database().db.select().from(accounts).where(eq(accounts.username, 'ines')))[0];
    const before = await row();
    const reply = await bot.ask(admin, command);
    expect(reply).toContain(expected);
    expect(reply.split('\n')).toHaveLength(1);
    expect(await row()).toEqual(before);
  });

  it('is for admins only', async () => {
    const before = await identityOf('ilya');
    expect(await bot.ask(people.operator, '/account_set ilya country=DE')).toBe(
      'Your role (operator) does not allow that.',
    );
    expect(await identityOf('ilya')).toEqual(before);
  });
});
