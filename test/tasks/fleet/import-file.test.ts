// The bulk import file: separators, header or none, both proxy forms, tags, platforms, the meaning
// of empty and `none` cells, every bad line by its line number in the file (never with a password),
// and the limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ImportParse, parseImportFile } from '../../../src/tasks/fleet/import-file.ts';
import { parseTags } from '../../../src/tasks/fleet/tags.ts';

const PLATFORMS = ['tiktok', 'instagram', 'youtube'];
const read = (text: string | Uint8Array, limits?: { maxBytes: number; maxLines: number }) =>
  parseImportFile(text, { platforms: PLATFORMS, ...(limits ? { limits } : {}) });
const file = (parsed: ImportParse) => {
  if (!parsed.ok) throw new Error(`refused: ${JSON.stringify(parsed.refusal)}`);
  return parsed.file;
};

describe('parseImportFile', () => {
  it('reads a comma file without a header: username, proxy in either form, quoted tags', () => {
    const parsed = file(
      read(
        [
          '# bought 2027-03-01',
          'alice,1.2.3.4:8080:bob:pa;ss,"Spring,US"',
          '',
          '@Bob,http://u:p@h.example:3128,spring|eu',
          'carol',
          'dave,,none',
          'erin,none',
        ].join('\r\n'),
      ),
    );
    expect(parsed).toMatchObject({ header: false, delimiter: ',', bad: [] });
    expect(parsed.rows).toEqual([
      {
        line: 2,
        username: 'alice',
        proxy: expect.objectContaining({ url: 'http://bob:pa%3Bss@1.2.3.4:8080', host: '1.2.3.4:8080' }),
        tags: ['spring', 'us'],
        platform: undefined,
      },
      {
        line: 4,
        username: 'Bob',
        proxy: expect.objectContaining({ host: 'h.example:3128' }),
        tags: ['eu', 'spring'],
        platform: undefined,
      },
      { line: 5, username: 'carol', proxy: undefined, tags: undefined, platform: undefined },
      { line: 6, username: 'dave', proxy: undefined, tags: [], platform: undefined },
      { line: 7, username: 'erin', proxy: null, tags: undefined, platform: undefined },
    ]);
  });

  it('detects semicolons and tabs, even when a password or a tag cell holds a comma', () => {
    const semi = file(read('alice;h.example:1:u:p,w;"a,b"\nbob;h.example:2'));
    expect(semi.delimiter).toBe(';');
    expect(semi.rows.map((r) => [r.username, r.proxy?.host, r.tags])).toEqual([
      ['alice', 'h.example:1', ['a', 'b']],
      ['bob', 'h.example:2', undefined],
    ]);
    const tab = file(read('alice\th.example:1:u:p;w\ta b\nbob\t\tc'));
    expect(tab.delimiter).toBe('\t');
    expect(tab.rows.map((r) => [r.username, r.tags])).toEqual([
      ['alice', ['a', 'b']],
      ['bob', ['c']],
    ]);
    const comma = file(read('alice,http://u:p;w@h.example:1'));
    expect(comma.delimiter).toBe(',');
  });

  it('reads a header in any order with a platform column, ignoring columns it does not know', () => {
    const parsed = file(
      read(
        [
          'Platform;notes;USERNAME;tags',
          'instagram;met at the fair;alice;x',
          ';;bob;',
          'NONE;;carol;none',
        ].join('\n'),
      ),
    );
    expect(parsed.header).toBe(true);
    expect(parsed.rows).toEqual([
      { line: 2, username: 'alice', proxy: undefined, tags: ['x'], platform: 'instagram' },
      { line: 3, username: 'bob', proxy: undefined, tags: undefined, platform: undefined },
      { line: 4, username: 'carol', proxy: undefined, tags: [], platform: null },
    ]);
  });

  it('reports each bad line by its number in the file, with a reason and never the password', () => {
    const password = 'Sup3rSecretPw';
    const text = [
      'username,proxy,tags', // 1
      '', // 2
      `h.example:1:u:${password},alice`, // 3: columns swapped
      `bob,socks5://u:${password}@h.example:1080`, // 4
      `carol,h.example:1:u`, // 5
      'dave,,bad!tag', // 6
      `erin,,${Array.from({ length: 11 }, (_, i) => `t${i}`).join('|')}`, // 7
      '# a comment', // 8
      'frank,,a,b', // 9: unquoted commas in the tags
      'ALICE', // 10
      'alice', // 11
      'gina,"h.example:1:u:p', // 12
      'hank,,,', // 13: trailing empty cells are fine
      'ivan,,"x,y"', // 14: quoted like line 12, but whole
    ].join('\n');
    const parsed = file(read(text));
    expect(parsed.bad).toEqual([
      { line: 3, reason: 'badUsername' },
      { line: 4, reason: 'socks5Auth' },
      { line: 5, reason: 'badProxy', proxyReason: 'badFormat' },
      { line: 6, reason: 'badTag' },
      { line: 7, reason: 'tooManyTags' },
      { line: 9, reason: 'tooManyColumns' },
      { line: 11, reason: 'duplicate', firstLine: 10 },
      { line: 12, reason: 'badQuoting' },
    ]);
    expect(parsed.rows.map((r) => [r.line, r.username, r.tags])).toEqual([
      [10, 'ALICE', undefined],
      [13, 'hank', undefined],
      [14, 'ivan', ['x', 'y']],
    ]);
    expect(JSON.stringify(parsed.bad)).not.toContain(password);
  });

  it('refuses a platform it was not told of', () => {
    const parsed = file(read('username,platform\nalice,reddit\nbob,YouTube'));
    expect(parsed.bad).toEqual([{ line: 2, reason: 'unknownPlatform' }]);
    expect(parsed.rows[0]).toMatchObject({ username: 'bob', platform: 'youtube' });
  });

  it('takes off the quote an export puts before a formula-like cell', () => {
    const parsed = file(read("username,tags\nalice,'-x|y"));
    // '-x' is no tag (a tag never starts with '-'), so the guard is the only way it could get here.
    expect(parsed.bad).toEqual([{ line: 2, reason: 'badTag' }]);
    expect(file(read("username,platform\nalice,'@instagram")).bad).toEqual([
      { line: 2, reason: 'unknownPlatform' },
    ]);
    expect(file(read("username\n'@alice")).rows[0]?.username).toBe('alice');
  });

  it('refuses the whole file over its limits, or when it is not a fleet file', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `user${i}`).join('\n');
    expect(read(`username\n${lines(5)}`, { maxBytes: 1000, maxLines: 5 }).ok).toBe(true);
    expect(read(`username\n${lines(6)}`, { maxBytes: 1000, maxLines: 5 })).toEqual({
      ok: false,
      refusal: { code: 'tooManyLines', limit: 5 },
    });
    expect(read(`# many comments\n${lines(5)}\n\n\n# end`, { maxBytes: 1000, maxLines: 5 }).ok).toBe(true);
    expect(read('x'.repeat(1001), { maxBytes: 1000, maxLines: 5 })).toEqual({
      ok: false,
      refusal: { code: 'tooLarge', limit: 1000 },
    });
    expect(read(lines(5001)).ok).toBe(false);
    expect(read(lines(5000)).ok).toBe(true);
    expect(read(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1]))).toEqual({
      ok: false,
      refusal: { code: 'notText' },
    });
    expect(read('# nothing\n\n')).toEqual({ ok: false, refusal: { code: 'noAccounts' } });
    expect(read('proxy,tags\nh.example:1,x')).toEqual({ ok: false, refusal: { code: 'noUsernameColumn' } });
    expect(read('username,tags,Tags\nalice,x,y')).toEqual({
      ok: false,
      refusal: { code: 'duplicateColumn', column: 'tags' },
    });
  });

  it('reads bytes with a BOM as Excel writes them', () => {
    const bytes = new TextEncoder().encode('\uFEFFusername;proxy\r\nalice;h.example:1\r\n');
    expect(file(read(bytes)).rows).toEqual([
      expect.objectContaining({
        line: 2,
        username: 'alice',
        proxy: expect.objectContaining({ host: 'h.example:1' }),
      }),
    ]);
  });
});

describe('parseImportFile properties', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{1,15}$/);
  const tag = fc.stringMatching(/^[a-z0-9_][a-z0-9_-]{0,10}$/).filter((t) => t !== 'none');
  const account = fc.record({
    name,
    host: fc.stringMatching(/^[a-z]{3,8}\.example$/),
    port: fc.integer({ min: 1, max: 65_535 }),
    user: fc.stringMatching(/^[a-z0-9]{1,8}$/),
    pass: fc.stringMatching(/^[\x21-\x7e]{6,16}$/),
    tags: fc.uniqueArray(tag, { maxLength: 4 }),
  });

  it('every data line is either a row or a bad line, with its own line number, whatever the separator', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(account, { minLength: 1, maxLength: 15, selector: (a) => a.name }),
        fc.constantFrom(',', ';', '\t'),
        fc.boolean(),
        (accounts, sep, header) => {
          const quote = (cell: string) => (/[",;\t]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
          const body = accounts.map((a) =>
            [a.name, quote(`${a.host}:${a.port}:${a.user}:${a.pass}`), quote(a.tags.join(','))].join(sep),
          );
          const lines = header ? [['username', 'proxy', 'tags'].join(sep), ...body] : body;
          const parsed = file(read(lines.join('\n')));
          expect(parsed.bad).toEqual([]);
          expect(parsed.rows.map((r) => r.line)).toEqual(accounts.map((_, i) => i + 1 + (header ? 1 : 0)));
          for (const [i, row] of parsed.rows.entries()) {
            const a = accounts[i]!;
            expect(row.username).toBe(a.name);
            expect(row.proxy?.host).toBe(`${a.host}:${a.port}`);
            expect(row.tags).toEqual(a.tags.length === 0 ? undefined : [...a.tags].sort());
          }
        },
      ),
    );
  });

  it('never throws and never reports a password, whatever the lines', () => {
    const secret = fc.stringMatching(/^[A-Z][A-Za-z0-9]{9}$/);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 10 }), secret, (junk, pw) => {
        const text = junk.map((j, i) => (i % 2 ? `${j}${pw}` : `x${i},h.example:1:u:${pw}${j}`)).join('\n');
        const parsed = read(text);
        if (parsed.ok) expect(JSON.stringify(parsed.file.bad)).not.toContain(pw);
        else expect(JSON.stringify(parsed.refusal)).not.toContain(pw);
      }),
    );
  });

  it('tags come out normalised and within the rules, or the cell is refused', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (cell) => {
        const parsed = parseTags(cell);
        if (!parsed.ok) return;
        expect(parsed.tags.length).toBeLessThanOrEqual(10);
        for (const t of parsed.tags) expect(t).toMatch(/^[a-z0-9_][a-z0-9_-]{0,31}$/);
        expect([...parsed.tags].sort()).toEqual(parsed.tags);
        expect(new Set(parsed.tags).size).toBe(parsed.tags.length);
      }),
    );
  });
});
