// An account's browser identity: the screen, window, device scale, locale and timezone it shows
// every site, chosen once (from the proxy's country) and stored, plus the user agent, which follows
// the real Chromium in use so that the version it claims is the one that answers.
import { z } from 'zod';
import type { Random } from './random.ts';

/** Per country: the locales and timezones a person there plausibly has (the first is the usual one). */
export const COUNTRIES: Record<string, { locales: string[]; timezones: string[] }> = {
  US: {
    locales: ['en-US'],
    timezones: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'],
  },
  CA: {
    locales: ['en-CA', 'fr-CA'],
    timezones: ['America/Toronto', 'America/Vancouver', 'America/Edmonton'],
  },
  GB: { locales: ['en-GB'], timezones: ['Europe/London'] },
  IE: { locales: ['en-IE'], timezones: ['Europe/Dublin'] },
  AU: { locales: ['en-AU'], timezones: ['Australia/Sydney', 'Australia/Melbourne', 'Australia/Brisbane'] },
  DE: { locales: ['de-DE'], timezones: ['Europe/Berlin'] },
  AT: { locales: ['de-AT'], timezones: ['Europe/Vienna'] },
  CH: { locales: ['de-CH', 'fr-CH'], timezones: ['Europe/Zurich'] },
  FR: { locales: ['fr-FR'], timezones: ['Europe/Paris'] },
  ES: { locales: ['es-ES'], timezones: ['Europe/Madrid'] },
  IT: { locales: ['it-IT'], timezones: ['Europe/Rome'] },
  NL: { locales: ['nl-NL'], timezones: ['Europe/Amsterdam'] },
  PL: { locales: ['pl-PL'], timezones: ['Europe/Warsaw'] },
  PT: { locales: ['pt-PT'], timezones: ['Europe/Lisbon'] },
  BR: { locales: ['pt-BR'], timezones: ['America/Sao_Paulo'] },
  MX: { locales: ['es-MX'], timezones: ['America/Mexico_City'] },
  TR: { locales: ['tr-TR'], timezones: ['Europe/Istanbul'] },
  UA: { locales: ['uk-UA', 'ru-UA'], timezones: ['Europe/Kyiv'] },
  RU: { locales: ['ru-RU'], timezones: ['Europe/Moscow'] },
  KZ: { locales: ['ru-KZ', 'kk-KZ'], timezones: ['Asia/Almaty'] },
  IN: { locales: ['en-IN', 'hi-IN'], timezones: ['Asia/Kolkata'] },
  ID: { locales: ['id-ID'], timezones: ['Asia/Jakarta'] },
  JP: { locales: ['ja-JP'], timezones: ['Asia/Tokyo'] },
};

export const DEFAULT_COUNTRY = 'US';

/** Common desktop screens (width × height) and their device scale: what real laptops and monitors show. */
const SCREENS: ReadonlyArray<{ width: number; height: number; scales: number[] }> = [
  { width: 1920, height: 1080, scales: [1, 1.25] },
  { width: 1536, height: 864, scales: [1.25] },
  { width: 1366, height: 768, scales: [1] },
  { width: 1440, height: 900, scales: [1, 2] },
  { width: 1280, height: 800, scales: [1, 2] },
  { width: 1600, height: 900, scales: [1] },
  { width: 1680, height: 1050, scales: [1] },
  { width: 2560, height: 1440, scales: [1, 1.5] },
  { width: 1280, height: 720, scales: [1, 1.5] },
];

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
const isLocale = (tag: string) => {
  try {
    return (
      /^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2}|-\d{3})?$/.test(tag) && Intl.getCanonicalLocales(tag)[0] === tag
    );
  } catch {
    return false;
  }
};
const size = (min: number, max: number) => z.number().int().min(min).max(max);

export const identitySchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/),
  locale: z.string().refine(isLocale, 'not a locale such as en-US'),
  timezoneId: z.string().refine(isTimeZone, 'not an IANA timezone such as Europe/Berlin'),
  screen: z.object({ width: size(800, 7680), height: size(600, 4320) }),
  /** The page's window: the screen less the browser's own bars. */
  viewport: z.object({ width: size(800, 7680), height: size(500, 4320) }),
  deviceScaleFactor: z.number().min(1).max(3),
  /** An admin's fixed user agent; when absent it is derived from the browser in use. */
  userAgent: z.string().min(20).max(400).optional(),
});
export type BrowserIdentity = z.infer<typeof identitySchema>;

/** A stored value read back: the identity, or undefined when it is missing or no longer valid. */
export function readIdentity(stored: unknown): BrowserIdentity | undefined {
  const parsed = identitySchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

/** What tells two identities apart: everything a page can read from them. */
export function identityKey(identity: BrowserIdentity): string {
  const { locale, timezoneId, screen, viewport, deviceScaleFactor, userAgent } = identity;
  return JSON.stringify([locale, timezoneId, screen, viewport, deviceScaleFactor, userAgent ?? '']);
}

/** A fresh identity for a country, different from every identity in taken (by identityKey). */
export function generateIdentity(
  random: Random,
  options: { country?: string; locale?: string; timezoneId?: string; taken?: ReadonlySet<string> } = {},
): BrowserIdentity {
  const country = options.country ?? DEFAULT_COUNTRY;
  const place = COUNTRIES[country] ?? { locales: ['en-US'], timezones: ['UTC'] };
  let identity: BrowserIdentity | undefined;
  // The window's height varies with the browser's bars, so the space is large: a clash is rare
  // and a few more draws escape it.
  for (let i = 0; i < 100; i++) {
    const screen = random.pick(SCREENS);
    const chrome = random.int(70, 140);
    identity = {
      country,
      locale: options.locale ?? random.pick(place.locales),
      timezoneId: options.timezoneId ?? random.pick(place.timezones),
      screen: { width: screen.width, height: screen.height },
      viewport: { width: screen.width, height: screen.height - chrome },
      deviceScaleFactor: random.pick(screen.scales),
    };
    if (!options.taken?.has(identityKey(identity))) return identity;
  }
  return identity as BrowserIdentity;
}

/** The identity an account without a stored one gets: drawn from its id, so it is the same every run. */
export function fallbackIdentity(accountId: number, seeded: (seed: number) => Random): BrowserIdentity {
  return generateIdentity(seeded(0x1d3 + accountId * 7919));
}

/**
 * The user agent of a desktop Chrome of the version in use. Headless Chromium says
 * "HeadlessChrome"; Chrome's reduced user agent shows only the major version (156.0.0.0).
 */
export function userAgentFor(browserVersion: string, platform: NodeJS.Platform = process.platform): string {
  const major = browserVersion.split('.')[0] ?? browserVersion;
  const os =
    platform === 'darwin'
      ? 'Macintosh; Intel Mac OS X 10_15_7'
      : platform === 'win32'
        ? 'Windows NT 10.0; Win64; x64'
        : 'X11; Linux x86_64';
  return `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
}

/** One line for chats: what the identity shows a site (the user agent apart, it is long). */
export function describeIdentity(identity: BrowserIdentity): string {
  const { viewport, deviceScaleFactor, locale, timezoneId, country } = identity;
  return [country, locale, timezoneId, `${viewport.width}×${viewport.height}@${deviceScaleFactor}x`].join(
    ' · ',
  );
}
