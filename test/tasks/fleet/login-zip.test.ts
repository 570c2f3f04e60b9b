// The login ZIP reader on archives built here: what it keeps and skips, the files it refuses
// one by one, and the archives it refuses whole (bombs, also with lying sizes, too many entries,
// paths in names).
import { randomBytes } from 'node:crypto';
import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readLoginZip, ZIP_LIMITS } from '../../../src/tasks/fleet/login-zip.ts';

const login = (name: string) =>
  strToU8(JSON.stringify({ cookies: [{ name: 'sid', value: name }], origins: [] }));
const small = { ...ZIP_LIMITS, maxInflatedBytes: 1024 * 1024, maxEntryBytes: 100 * 1024 };
/** The refusal, or a short word when it was read: a bomb's text is too big for a test's diff. */
const refusalOf = (read: ReturnType<typeof readLoginZip>) => (read.ok ? 'read' : read.refusal);

/** Writes `value` over a field of the named entry's central-directory record. */
function patchDirectory(zip: Uint8Array, name: string, field: 'flags' | 'size' | 'crc', value: number) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const wanted = strToU8(name);
  for (let at = 0; at + 46 < zip.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50 || view.getUint16(at + 28, true) !== wanted.length) continue;
    if (!wanted.every((b, i) => zip[at + 46 + i] === b)) continue;
    if (field === 'flags') view.setUint16(at + 8, value, true);
    else view.setUint32(at + (field === 'crc' ? 16 : 24), value, true);
    return zip;
  }
  throw new Error(`no entry ${name}`);
}

describe('readLoginZip', () => {
  it('keeps each <username>.json, nested or not, and refuses the other files one by one', () => {
    const zip = zipSync({
      'alice.json': login('alice'),
      'batch 1/': new Uint8Array(0),
      'batch 1/Bob.json': [login('bob'), { level: 0 }],
      '__MACOSX/batch 1/._Bob.json': strToU8('resource fork'),
      '.DS_Store': strToU8('finder'),
      'readme.txt': strToU8('hello'),
      'not a name!.json': login('x'),
      'batch 2/ALICE.JSON': login('alice again'),
      'carol.json': new Uint8Array([0xff, 0xfe, 0x00]),
    });
    const read = readLoginZip(zip);
    expect(read).toEqual({
      ok: true,
      entries: [
        {
          name: 'alice.json',
          username: 'alice',
          text: JSON.stringify(JSON.parse(new TextDecoder().decode(login('alice')))),
        },
        { name: 'Bob.json', username: 'Bob', text: expect.stringContaining('"bob"') },
      ],
      refused: [
        { name: 'readme.txt', reason: 'notJson' },
        { name: 'not a name!.json', reason: 'badName' },
        { name: 'ALICE.JSON', reason: 'duplicate' },
        { name: 'carol.json', reason: 'unreadable' },
      ],
    });
  });

  it('reads entries written with data descriptors (streamed ZIPs)', () => {
    const parts: Uint8Array[] = [];
    const zip = new Zip((err, chunk) => {
      if (err) throw err;
      parts.push(chunk);
    });
    const file = new ZipDeflate('dave.json', { level: 6 });
    zip.add(file);
    file.push(login('dave'), true);
    zip.end();
    const bytes = new Uint8Array(Buffer.concat(parts));
    expect(readLoginZip(bytes)).toMatchObject({ ok: true, entries: [{ username: 'dave' }], refused: [] });
  });

  it.each([
    '../alice.json',
    'batch/../../alice.json',
    '/etc/alice.json',
    'C:/alice.json',
    'x\\..\\alice.json',
  ])('refuses the whole archive for a path in a name: %s', (name) => {
    const zip = zipSync({ 'ok.json': login('ok'), [name]: login('evil') });
    expect(readLoginZip(zip)).toEqual({ ok: false, refusal: { code: 'pathInName' } });
  });

  it('refuses the whole archive for too many entries, counted before anything is inflated', () => {
    const files = Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`u${i}.json`, login('x')]));
    expect(readLoginZip(zipSync(files))).toEqual({
      ok: false,
      refusal: { code: 'tooManyEntries', limit: 2000 },
    });
    delete files['u2000.json'];
    expect(readLoginZip(zipSync(files))).toMatchObject({ ok: true });
  });

  it('refuses a bomb: one file inflating far past its limit, or many whose total does', () => {
    const bomb = zipSync({ 'alice.json': new Uint8Array(8 * 1024 * 1024).fill(32) });
    expect(bomb.length).toBeLessThan(20 * 1024);
    expect(refusalOf(readLoginZip(bomb))).toEqual({ code: 'zipBomb', limit: 20 * 1024 * 1024 });
    // Each file under its own limit, together over the archive's: incompressible, so no ratio helps.
    const many = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`u${i}.json`, randomBytes(90 * 1024)]),
    );
    expect(refusalOf(readLoginZip(zipSync(many), small))).toEqual({ code: 'zipBomb', limit: 1024 * 1024 });
  });

  it('does not trust the sizes an archive declares', () => {
    // A bomb that claims to be 200 bytes is still stopped while inflating.
    const lying = patchDirectory(
      zipSync({ 'alice.json': new Uint8Array(8 * 1024 * 1024).fill(32) }),
      'alice.json',
      'size',
      200,
    );
    expect(refusalOf(readLoginZip(lying))).toEqual({ code: 'zipBomb', limit: 20 * 1024 * 1024 });
    // An honest large file is only that file's problem; so is one that lies about its size.
    const large = zipSync({ 'big.json': randomBytes(200 * 1024), 'ok.json': login('ok') });
    expect(readLoginZip(large, small)).toMatchObject({
      ok: true,
      entries: [{ username: 'ok' }],
      refused: [{ name: 'big.json', reason: 'tooLarge' }],
    });
    const understated = patchDirectory(
      zipSync({ 'big.json': randomBytes(200 * 1024) }),
      'big.json',
      'size',
      10,
    );
    expect(readLoginZip(understated, small)).toMatchObject({
      refused: [{ name: 'big.json', reason: 'tooLarge' }],
    });
  });

  it('refuses a file whose checksum is wrong, or that is encrypted', () => {
    const zip = zipSync({ 'a1.json': login('a'), 'b1.json': login('b'), 'c1.json': login('c') });
    patchDirectory(zip, 'a1.json', 'crc', 1234);
    patchDirectory(zip, 'b1.json', 'flags', 1);
    expect(readLoginZip(zip)).toEqual({
      ok: true,
      entries: [expect.objectContaining({ username: 'c1' })],
      refused: [
        { name: 'a1.json', reason: 'unreadable' },
        { name: 'b1.json', reason: 'encrypted' },
      ],
    });
  });

  it('refuses what is no ZIP, and an archive over its own size limit', () => {
    expect(readLoginZip(strToU8('{"cookies": []}'))).toEqual({ ok: false, refusal: { code: 'notZip' } });
    expect(readLoginZip(new Uint8Array(0))).toEqual({ ok: false, refusal: { code: 'notZip' } });
    const zip = zipSync({ 'a.json': randomBytes(2000) }, { level: 0 });
    expect(readLoginZip(zip, { ...ZIP_LIMITS, maxZipBytes: 1000 })).toEqual({
      ok: false,
      refusal: { code: 'tooLarge', limit: 1000 },
    });
    // A truncated archive: its directory is gone.
    expect(readLoginZip(zipSync({ 'a1.json': login('a') }).subarray(0, 60))).toEqual({
      ok: false,
      refusal: { code: 'notZip' },
    });
  });
});
