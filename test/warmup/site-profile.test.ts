// Site profiles: the built-in TikTok profile loads; a wrong profile (missing field, bad selector,
// unknown key, broken JSON) is rejected with the field's name, in node and in the browser.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserHost } from '../../src/warmup/browser.ts';
import { findSelectorProblem } from '../../src/warmup/selector-syntax.ts';
import {
  loadSiteProfile,
  parseSiteProfile,
  type SiteProfile,
  verifySelectorsInBrowser,
} from '../../src/warmup/site-profile.ts';
import { createTestHost } from './helpers.ts';

let tiktok: SiteProfile;
beforeAll(async () => {
  tiktok = await loadSiteProfile(
    fileURLToPath(new URL('../../src/warmup/profiles/tiktok.json', import.meta.url)),
  );
});

function withSelector(field: string, value: unknown): unknown {
  return { ...tiktok, selectors: { ...tiktok.selectors, [field]: value } };
}

function problemsOf(data: unknown): string {
  try {
    parseSiteProfile(data);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the profile was accepted');
}

describe('site profile', () => {
  it('loads the built-in TikTok profile', () => {
    expect(tiktok.name).toBe('tiktok');
    expect(tiktok.startUrl).toMatch(/^https:\/\/www\.tiktok\.com\//);
    expect(tiktok.searchUrl).toContain('{query}');
    expect(tiktok.next).toEqual({ kind: 'key', key: 'ArrowDown' });
  });

  it.each([
    ['like', 'div[', 'selectors.like: invalid selector "div[": unclosed "["'],
    [
      'follow',
      'button >',
      'selectors.follow: invalid selector "button >": "button >" ends with a combinator',
    ],
    ['captcha', '"#x', 'selectors.captcha: invalid selector'],
    ['feedItem', 'a, , b', 'selectors.feedItem: invalid selector'],
    ['blocked', '', 'selectors.blocked: must not be empty'],
    ['commentInput', 42, 'selectors.commentInput: must be a selector string'],
  ])('rejects selectors.%s = %j naming the field', (field, value, message) => {
    expect(problemsOf(withSelector(field, value))).toContain(message);
  });

  it('rejects a missing field, an unknown key, a bad search URL and a bad next move', () => {
    const { captcha: _, ...withoutCaptcha } = tiktok.selectors;
    expect(problemsOf({ ...tiktok, selectors: withoutCaptcha })).toContain('selectors.captcha');
    expect(problemsOf(withSelector('lkie', 'button'))).toMatch(/selectors.*lkie/);
    expect(problemsOf({ ...tiktok, searchUrl: 'https://example.com/search' })).toContain(
      'searchUrl: must contain {query}',
    );
    expect(problemsOf({ ...tiktok, startUrl: 'not a url' })).toContain('startUrl: must be an http(s) URL');
    expect(problemsOf({ ...tiktok, next: { kind: 'swipe' } })).toContain('next.kind: must be');
    expect(problemsOf({ ...tiktok, next: { kind: 'scroll', pixels: 0 } })).toContain('next.pixels');
    expect(problemsOf({ ...tiktok, next: { kind: 'click', selector: 'a[' } })).toContain(
      'next.selector: invalid',
    );
  });

  it('checks the trap fields: state selectors, dismiss rules, loggedOutPath and notes', () => {
    expect(tiktok.selectors.likeActive).toContain('aria-pressed');
    expect(tiktok.dismiss.map((rule) => rule.name)).toEqual([
      'choose your interests',
      'choose how ads are shown',
    ]);
    // Every selector of the built-in profile says where its evidence comes from.
    const selectorFields = Object.keys(tiktok.selectors).map((field) => `selectors.${field}`);
    expect(Object.keys(tiktok.notes ?? {})).toEqual(expect.arrayContaining(selectorFields));
    expect(problemsOf(withSelector('likeActive', 'button['))).toContain(
      'selectors.likeActive: invalid selector',
    );
    expect(problemsOf({ ...tiktok, dismiss: [{ name: 'x', when: '#a', click: 'b >' }] })).toContain(
      'dismiss.0.click: invalid selector',
    );
    expect(problemsOf({ ...tiktok, dismiss: [{ name: 'x', when: '#a' }] })).toContain('dismiss.0.click');
    expect(problemsOf({ ...tiktok, loggedOutPath: '^/login(' })).toContain(
      'loggedOutPath: must be a valid regular expression',
    );
    expect(problemsOf({ ...tiktok, notes: { 'selectors.lkie': 'typo' } })).toContain(
      'notes.selectors.lkie: names no field of the profile',
    );
    const { dismiss: _, ...withoutDismiss } = tiktok;
    expect(parseSiteProfile(withoutDismiss).dismiss).toEqual([]);
  });

  it('loads a profile file, and names the file when it is broken', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'profile-'));
    const good = path.join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ ...tiktok, name: 'custom' }));
    expect((await loadSiteProfile(good)).name).toBe('custom');
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{ "name": ');
    await expect(loadSiteProfile(broken)).rejects.toThrow(`site profile ${broken} is not valid JSON`);
    const wrong = path.join(dir, 'wrong.json');
    await writeFile(wrong, JSON.stringify(withSelector('like', 'div[')));
    await expect(loadSiteProfile(wrong)).rejects.toThrow(
      /wrong\.json is invalid: (.*; )?selectors\.like: invalid selector "div\["/,
    );
    await expect(loadSiteProfile(path.join(dir, 'missing.json'))).rejects.toThrow('could not be read');
  });

  it.each([
    'div',
    '[data-e2e="like-icon"]',
    'a:has-text("x, y")',
    'text=Follow (me',
    'css=a > b',
    'a >> b',
    'x\\[y',
  ])('the cheap check accepts %s', (selector) => {
    expect(findSelectorProblem(selector)).toBeNull();
  });
});

describe('verifySelectorsInBrowser', () => {
  let host: BrowserHost;
  beforeAll(() => {
    host = createTestHost();
  });
  afterAll(() => host?.close());

  it('accepts the TikTok profile and rejects what only Playwright knows is wrong', async () => {
    const signal = new AbortController().signal;
    await host.withContext({ signal }, (context) => verifySelectorsInBrowser(context, tiktok));
    const bad = parseSiteProfile(withSelector('captcha', 'div:bogus-pseudo'));
    await expect(
      host.withContext({ signal }, (context) => verifySelectorsInBrowser(context, bad)),
    ).rejects.toThrow(/selectors\.captcha: invalid selector "div:bogus-pseudo"/);
    const badRule = parseSiteProfile({
      ...tiktok,
      dismiss: [{ name: 'x', when: 'xpath=//h1[', click: 'b' }],
    });
    await expect(
      host.withContext({ signal }, (context) => verifySelectorsInBrowser(context, badRule)),
    ).rejects.toThrow(/dismiss\.0\.when: invalid selector/);
  });
});
