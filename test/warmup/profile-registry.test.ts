// The profile registry: the three built-ins, a directory of more (a file may replace a built-in),
// WARMUP_SITE_PROFILE as a file or a name, and one line naming the file and the field when a
// profile is wrong; each built-in's selectors parse in Playwright's own engine.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/warmup/browser.ts';
import { BUILT_IN_PLATFORMS, loadSiteProfiles } from '../../src/warmup/profile-registry.ts';
import { type SiteProfile, verifySelectorsInBrowser } from '../../src/warmup/site-profile.ts';
import { createTestHost } from './helpers.ts';

let dir: string;
let tiktok: SiteProfile;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'profiles-'));
  tiktok = (await loadSiteProfiles()).get('tiktok')!;
});

async function directory(files: Record<string, unknown>): Promise<string> {
  const at = await mkdtemp(path.join(dir, 'set-'));
  for (const [name, data] of Object.entries(files))
    await writeFile(path.join(at, name), typeof data === 'string' ? data : JSON.stringify(data));
  return at;
}

async function failure(options: Parameters<typeof loadSiteProfiles>[0]): Promise<string> {
  try {
    await loadSiteProfiles(options);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the profiles were accepted');
}

describe('the site profile registry', () => {
  it('knows the three built-ins, tiktok the default', async () => {
    const profiles = await loadSiteProfiles();
    expect(profiles.names).toEqual(['instagram', 'tiktok', 'youtube']);
    expect([...BUILT_IN_PLATFORMS].sort()).toEqual(profiles.names);
    expect(profiles.defaultName).toBe('tiktok');
    expect(profiles.forPlatform(null)?.name).toBe('tiktok');
    expect(profiles.forPlatform('instagram')?.startUrl).toBe('https://www.instagram.com/reels/?hl=en');
    expect(profiles.forPlatform('youtube')?.startUrl).toBe('https://www.youtube.com/shorts?hl=en');
    expect(profiles.forPlatform('myspace')).toBeUndefined();
    expect(profiles.sources).toEqual({ instagram: 'built in', tiktok: 'built in', youtube: 'built in' });
  });

  it('adds the directory’s profiles and lets one replace a built-in by its name', async () => {
    const at = await directory({
      'reddit.json': { ...tiktok, name: 'reddit', startUrl: 'https://www.reddit.com/' },
      'tiktok-fixed.json': { ...tiktok, startUrl: 'https://www.tiktok.com/foryou?lang=de' },
      'README.txt': 'not a profile',
    });
    const profiles = await loadSiteProfiles({ directory: at });
    expect(profiles.names).toEqual(['instagram', 'reddit', 'tiktok', 'youtube']);
    expect(profiles.get('tiktok')?.startUrl).toBe('https://www.tiktok.com/foryou?lang=de');
    expect(profiles.sources.tiktok).toBe(path.join(at, 'tiktok-fixed.json'));
    expect(profiles.defaultName).toBe('tiktok');
  });

  it('takes WARMUP_SITE_PROFILE as a file (its name becomes the default) or as a known name', async () => {
    const file = path.join(dir, 'mine.json');
    await writeFile(file, JSON.stringify({ ...tiktok, name: 'mine' }));
    const byFile = await loadSiteProfiles({ defaultProfile: file });
    expect(byFile.defaultName).toBe('mine');
    expect(byFile.forPlatform(null)?.name).toBe('mine');
    expect(byFile.names).toContain('tiktok');
    expect((await loadSiteProfiles({ defaultProfile: 'instagram' })).defaultName).toBe('instagram');
    expect(await failure({ defaultProfile: 'myspace' })).toBe(
      'WARMUP_SITE_PROFILE names "myspace", which is no known site profile: instagram, tiktok, youtube',
    );
  });

  it('refuses a wrong file with one line naming the file and every bad field', async () => {
    const at = await directory({
      'good.json': { ...tiktok, name: 'good' },
      'bad.json': { ...tiktok, name: 'bad', selectors: { ...tiktok.selectors, like: 'div[' }, nxt: 1 },
    });
    const message = await failure({ directory: at });
    expect(message).not.toContain('\n');
    expect(message).toBe(
      `site profile ${path.join(at, 'bad.json')} is invalid: selectors.like: invalid selector "div[": unclosed "["; (top level): Unrecognized key: "nxt"`,
    );
  });

  it.each([
    ['a name that is no platform name', { name: 'My TikTok' }, 'name: must be a platform name'],
    [
      'a warmup preset that contradicts itself',
      { warmup: { presets: { light: { likes: { min: 3, max: 2 } } } } },
      'warmup.presets.light.likes: min (3) is greater than max (2)',
    ],
    [
      'a warmup default that leaves no room for the actions',
      { warmup: { defaults: { videos: { min: 1, max: 2 } } } },
      'warmup.defaults.likes: 3 likes need at least 3 videos watched',
    ],
    ['an unknown preset', { warmup: { presets: { wild: {} } } }, 'warmup.presets: Unrecognized key: "wild"'],
    ['a bad path marker', { captchaPath: '^/challenge(' }, 'captchaPath: must be a valid regular expression'],
  ])('refuses %s, naming the field', async (_what, change, message) => {
    const at = await directory({ 'x.json': { ...tiktok, name: 'x', ...change } });
    expect(await failure({ directory: at })).toContain(message);
  });

  it('refuses unreadable JSON, a missing directory and two files of one name, naming them', async () => {
    const broken = await directory({ 'broken.json': '{ "name": ' });
    expect(await failure({ directory: broken })).toMatch(/broken\.json is not valid JSON/);
    expect(await failure({ directory: path.join(dir, 'nowhere') })).toMatch(
      /site profile directory .*nowhere could not be read: ENOENT/,
    );
    const twins = await directory({
      'a.json': { ...tiktok, name: 'same' },
      'b.json': { ...tiktok, name: 'same' },
    });
    expect(await failure({ directory: twins })).toBe(
      `site profiles ${path.join(twins, 'a.json')} and ${path.join(twins, 'b.json')} both name themselves "same": rename one (its "name" field)`,
    );
  });
});

describe('the built-in profiles in the browser', () => {
  let host: BrowserHost;
  afterAll(async () => {
    await host?.close();
  });

  it('every selector of every built-in parses in Playwright’s engine', async () => {
    host = createTestHost();
    const profiles = await loadSiteProfiles();
    await host.withContext({ signal: new AbortController().signal }, async (context) => {
      for (const profile of profiles.all()) await verifySelectorsInBrowser(context, profile);
    });
    // Each says where every selector comes from, and what is unverified.
    for (const profile of profiles.all()) {
      const fields = Object.keys(profile.selectors).map((f) => `selectors.${f}`);
      expect(Object.keys(profile.notes ?? {}), profile.name).toEqual(expect.arrayContaining(fields));
    }
    const notes = (name: string) => Object.values(profiles.get(name)?.notes ?? {}).join(' ');
    expect(notes('instagram')).toMatch(/UNVERIFIED/);
    expect(notes('youtube')).toMatch(/UNVERIFIED/);
  }, 60_000);
});
