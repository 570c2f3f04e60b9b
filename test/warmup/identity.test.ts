// Drawing identities: valid for their country, unlike any taken one, the same for an account
// without a stored one in every run, and a user agent naming the browser version in use.
import { describe, expect, it } from 'vitest';
import {
  COUNTRIES,
  fallbackIdentity,
  generateIdentity,
  identityKey,
  identitySchema,
  userAgentFor,
} from '../../src/warmup/identity.ts';
import { createRandom } from '../../src/warmup/random.ts';

describe('generateIdentity', () => {
  it('draws a valid identity of the country for every known country', () => {
    for (const [country, place] of Object.entries(COUNTRIES)) {
      const identity = generateIdentity(createRandom(1), { country });
      expect(identitySchema.parse(identity)).toEqual(identity);
      expect(place.locales).toContain(identity.locale);
      expect(place.timezones).toContain(identity.timezoneId);
      expect(identity.viewport.height).toBeLessThan(identity.screen.height);
    }
  });

  it('never returns a taken identity', () => {
    const first = generateIdentity(createRandom(7), { country: 'GB' });
    const again = generateIdentity(createRandom(7), { country: 'GB', taken: new Set([identityKey(first)]) });
    expect(identityKey(again)).not.toBe(identityKey(first));
  });

  it('gives an account without a stored identity the same one every run, and others another', () => {
    expect(fallbackIdentity(12, createRandom)).toEqual(fallbackIdentity(12, createRandom));
    expect(identityKey(fallbackIdentity(12, createRandom))).not.toBe(
      identityKey(fallbackIdentity(13, createRandom)),
    );
  });
});

it('userAgentFor names the major version in use, as a desktop Chrome of the host OS', () => {
  expect(userAgentFor('156.0.8078.114', 'linux')).toBe(
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  );
  expect(userAgentFor('131.0.1', 'win32')).toContain('(Windows NT 10.0; Win64; x64)');
});
