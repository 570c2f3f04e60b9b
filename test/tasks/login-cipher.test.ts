// Saved logins at rest: AES-256-GCM under SESSION_ENCRYPTION_KEY, a version byte first. A blob
// that was tampered with, read with another key, cut short or written by an unknown version is
// refused with a sentence saying which — never decrypted into something else.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openLogin, sealLogin } from '../../src/tasks/login-cipher.ts';

const key = randomBytes(32);
const state = {
  cookies: [{ name: 'sessionid', value: 'TOPSECRET', domain: '.tiktok.com', path: '/' }],
  origins: [],
};
const UNREADABLE = 'the saved login cannot be decrypted with this SESSION_ENCRYPTION_KEY';
const UNKNOWN = 'the saved login has an unknown format';

/** The blob with one byte flipped at `index` (negative: from the end). */
function flipped(blob: Buffer, index: number): Buffer {
  const copy = Buffer.from(blob);
  const at = index < 0 ? copy.length + index : index;
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('login cipher', () => {
  it('reads back what it wrote; the cookie value is not in the blob; each write has its own IV', () => {
    const blob = sealLogin(key, state);
    expect(openLogin(key, blob)).toEqual(state);
    expect(blob.toString('latin1')).not.toContain('TOPSECRET');
    expect(blob[0]).toBe(1);
    const again = sealLogin(key, state);
    expect(again.subarray(1, 13).equals(blob.subarray(1, 13))).toBe(false);
    expect(openLogin(key, again)).toEqual(state);
  });

  it.each([
    ['a byte of the data', -1],
    ['a byte of the authentication tag', 20],
    ['a byte of the IV', 5],
  ])('refuses a blob with %s changed', (_what, index) => {
    const blob = sealLogin(key, state);
    expect(() => openLogin(key, flipped(blob, index))).toThrow(UNREADABLE);
  });

  it('refuses another key, keeping the cipher’s error as the cause', () => {
    const blob = sealLogin(key, state);
    let caught: unknown;
    try {
      openLogin(randomBytes(32), blob);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message).toBe(UNREADABLE);
    expect((caught as Error).cause).toBeInstanceOf(Error);
  });

  it('refuses an unknown version, and a blob too short to hold IV and tag', () => {
    const blob = sealLogin(key, state);
    const version2 = Buffer.from(blob);
    version2[0] = 2;
    expect(() => openLogin(key, version2)).toThrow(UNKNOWN);
    expect(() => openLogin(key, Buffer.from(blob.subarray(0, 28)))).toThrow(UNKNOWN);
    expect(() => openLogin(key, Buffer.alloc(0))).toThrow(UNKNOWN);
  });

  it('an empty state survives the trip; the shortest valid blob is 29 bytes and an empty payload is refused', () => {
    expect(openLogin(key, sealLogin(key, {}))).toEqual({});
    const blob = sealLogin(key, state);
    // Version, IV and tag alone (no data): the tag does not match an empty ciphertext.
    expect(() => openLogin(key, Buffer.from(blob.subarray(0, 29)))).toThrow(UNREADABLE);
  });
});
