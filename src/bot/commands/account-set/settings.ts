// The key=value settings of /account_set, read and applied to an identity. Pure: the first bad
// pair is reported and nothing is applied, so an identity is never half-changed.
import {
  type BrowserIdentity,
  COUNTRIES,
  generateIdentity,
  identitySchema,
} from '../../../warmup/identity.ts';
import { type BrowserProfile, browserProfileSchema } from '../../../warmup/providers/provider.ts';
import type { Random } from '../../../warmup/random.ts';

export const SETTING_KEYS = [
  'country',
  'locale',
  'timezone',
  'viewport',
  'scale',
  'user_agent',
  'identity',
  'shared',
  'browser',
  'profile',
  'inject_login',
  'platform',
] as const;

/** Older names still read: inject_session is inject_login from before the saved login had its word. */
const KEY_ALIASES: Readonly<Record<string, SettingKey>> = { inject_session: 'inject_login' };

/** The keys that choose the browser; every other key changes the identity. */
const BROWSER_KEYS: readonly SettingKey[] = ['browser', 'profile', 'inject_login'];
/** Keys that change neither: the platform (checked against the known ones by the command). */
const OTHER_KEYS: readonly SettingKey[] = ['platform'];
export const touchesIdentity = (pairs: ReadonlyMap<SettingKey, string>) =>
  [...pairs.keys()].some((k) => !BROWSER_KEYS.includes(k) && !OTHER_KEYS.includes(k));
/** Whether anything but the platform is set (the identity and browser answer is due). */
export const touchesMoreThanPlatform = (pairs: ReadonlyMap<SettingKey, string>) =>
  [...pairs.keys()].some((k) => !OTHER_KEYS.includes(k));
export type SettingKey = (typeof SETTING_KEYS)[number];
type CheckedKey = Exclude<SettingKey, 'platform'>;

export type SettingError =
  | { kind: 'noPairs' }
  | { kind: 'notPair'; text: string }
  | { kind: 'unknownKey'; key: string }
  | { kind: 'repeated'; key: string }
  | { kind: 'badValue'; key: CheckedKey; value: string };

export type ParsedSettings = { pairs: Map<SettingKey, string> };

/**
 * "country=DE viewport=1920x1080" → pairs. A word without "=" continues the value before it, so a
 * user agent can hold spaces: user_agent=Mozilla/5.0 (X11; Linux x86_64) …
 */
export function parseSettings(words: readonly string[]): ParsedSettings | SettingError {
  const pairs = new Map<SettingKey, string>();
  let last: SettingKey | undefined;
  for (const word of words) {
    const eq = word.indexOf('=');
    const typed = eq > 0 ? word.slice(0, eq).toLowerCase() : undefined;
    const key = typed === undefined ? undefined : (KEY_ALIASES[typed] ?? typed);
    if (key === undefined || !/^[a-z_]+$/.test(key)) {
      if (last !== 'user_agent') return { kind: 'notPair', text: word };
      pairs.set(last, `${pairs.get(last)} ${word}`);
      continue;
    }
    if (!(SETTING_KEYS as readonly string[]).includes(key)) return { kind: 'unknownKey', key };
    const known = key as SettingKey;
    if (pairs.has(known)) return { kind: 'repeated', key };
    pairs.set(known, word.slice(eq + 1));
    last = known;
  }
  if (pairs.size === 0) return { kind: 'noPairs' };
  return { pairs };
}

/** Which setting an identity field comes from, to name it in an error. */
const FIELD_KEY: Record<string, CheckedKey> = {
  country: 'country',
  locale: 'locale',
  timezoneId: 'timezone',
  viewport: 'viewport',
  screen: 'viewport',
  deviceScaleFactor: 'scale',
  userAgent: 'user_agent',
};

const bad = (key: CheckedKey, value: string): SettingError => ({ kind: 'badValue', key, value });

/** The identity with the settings applied, or the first value that cannot be used. */
export function applySettings(
  base: BrowserIdentity,
  pairs: ReadonlyMap<SettingKey, string>,
  random: Random,
  taken: ReadonlySet<string>,
): { identity: BrowserIdentity; shared: boolean } | SettingError {
  let next: BrowserIdentity = { ...base };
  const country = pairs.get('country');
  if (country !== undefined) {
    const code = country.toUpperCase();
    if (!COUNTRIES[code]) return bad('country', country);
    // A new country brings its own locale and timezone (unless given too); the screen stays.
    const drawn = generateIdentity(random, { country: code });
    next = { ...next, country: code, locale: drawn.locale, timezoneId: drawn.timezoneId };
  }
  const redraw = pairs.get('identity');
  if (redraw !== undefined) {
    if (redraw !== 'new') return bad('identity', redraw);
    next = { ...generateIdentity(random, { country: next.country, taken }), userAgent: next.userAgent };
  }
  const locale = pairs.get('locale');
  if (locale !== undefined) next.locale = locale;
  const timezone = pairs.get('timezone');
  if (timezone !== undefined) next.timezoneId = timezone;
  const viewport = pairs.get('viewport');
  if (viewport !== undefined) {
    const match = /^(\d{3,4})x(\d{3,4})$/i.exec(viewport);
    if (!match) return bad('viewport', viewport);
    const [width, height] = [Number(match[1]), Number(match[2])];
    next.viewport = { width, height };
    // The screen holds the window and the browser's bars above it.
    next.screen = {
      width: Math.max(next.screen.width, width),
      height: Math.max(next.screen.height, height + 80),
    };
  }
  const scale = pairs.get('scale');
  if (scale !== undefined) {
    if (!/^\d(\.\d{1,2})?$/.test(scale)) return bad('scale', scale);
    next.deviceScaleFactor = Number(scale);
  }
  const userAgent = pairs.get('user_agent');
  if (userAgent !== undefined) {
    if (userAgent === 'auto') delete next.userAgent;
    else next.userAgent = userAgent;
  }
  const shared = pairs.get('shared');
  if (shared !== undefined && shared !== 'yes' && shared !== 'no') return bad('shared', shared);

  const checked = identitySchema.safeParse(next);
  if (!checked.success) {
    const key = FIELD_KEY[String(checked.error.issues[0]?.path[0])] ?? 'identity';
    return bad(key, pairs.get(key) ?? '');
  }
  return { identity: checked.data, shared: shared === 'yes' };
}

export type BrowserChoice = { browser: 'local' | 'cdp'; browserProfile: BrowserProfile | null };

/**
 * browser=local|cdp, profile=dolphin:<id>, inject_login=yes|no applied to the stored choice.
 * A cdp browser needs a profile; local keeps a profile set before, unused, for switching back.
 */
export function applyBrowserSettings(
  current: { browser: string; browserProfile: unknown },
  pairs: ReadonlyMap<SettingKey, string>,
): BrowserChoice | SettingError {
  const stored = browserProfileSchema.safeParse(current.browserProfile);
  let profile: BrowserProfile | null = stored.success ? stored.data : null;
  const profileText = pairs.get('profile');
  if (profileText !== undefined) {
    const [provider, id] = profileText.split(':', 2);
    const parsed = browserProfileSchema.safeParse({
      provider,
      profileId: id,
      injectLogin: profile?.injectLogin ?? false,
    });
    if (!parsed.success) return bad('profile', profileText);
    profile = parsed.data;
  }
  const inject = pairs.get('inject_login');
  if (inject !== undefined) {
    if (inject !== 'yes' && inject !== 'no') return bad('inject_login', inject);
    if (!profile) return bad('profile', '');
    profile = { ...profile, injectLogin: inject === 'yes' };
  }
  const browserText = pairs.get('browser') ?? current.browser;
  if (browserText !== 'local' && browserText !== 'cdp') return bad('browser', browserText);
  if (browserText === 'cdp' && !profile) return bad('profile', '');
  return { browser: browserText, browserProfile: profile };
}
