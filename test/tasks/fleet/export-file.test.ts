// The export file: its columns, the formula guard, and that whatever fleet it writes reads back
// through the import parser as the same usernames, tags and platforms, with no bad line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defuseFormula, type ExportRow, writeFleetCsv } from '../../../src/tasks/fleet/export-file.ts';
import { parseImportFile } from '../../../src/tasks/fleet/import-file.ts';

const PLATFORMS = ['tiktok', 'instagram'];
const row = (over: Partial<ExportRow> = {}): ExportRow => ({
  username: 'alice',
  platform: null,
  health: 'ok',
  tags: [],
  proxyHost: null,
  hasLogin: false,
  quarantined: false,
  lastWarmedAt: null,
  identity: null,
  ...over,
});

describe('writeFleetCsv', () => {
  it('writes a header and one line per account, quoting only where CSV needs it', () => {
    const csv = writeFleetCsv([
      row({
        username: 'alice',
        platform: 'instagram',
        tags: ['spring', 'us'],
        proxyHost: 'h.example:8080',
        hasLogin: true,
        quarantined: true,
        lastWarmedAt: new Date('2027-03-01T12:34:56.789Z'),
        identity: 'US · en-US · America/New_York · 1920×980@1x',
      }),
      row({ username: 'bob', health: 'captcha', identity: 'cdp dolphin:a,b' }),
    ]);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFusername,platform,health,tags,proxy_host,login,quarantined,last_warmed,identity',
      'alice,instagram,ok,spring|us,h.example:8080,yes,yes,2027-03-01T12:34:56Z,US · en-US · America/New_York · 1920×980@1x',
      'bob,,captcha,,,no,no,,"cdp dolphin:a,b"',
      '',
    ]);
  });

  it('guards cells a spreadsheet would run as a formula', () => {
    expect(defuseFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(defuseFormula('+1')).toBe("'+1");
    expect(defuseFormula('-1')).toBe("'-1");
    expect(defuseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(defuseFormula('alice')).toBe('alice');
    expect(writeFleetCsv([row({ identity: '=1+1' })])).toContain(",'=1+1");
    fc.assert(
      fc.property(fc.string(), (cell) => {
        expect(defuseFormula(cell)).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });

  it('re-imports whatever it writes as the same usernames, tags and platforms', () => {
    const rowArb = fc.record({
      username: fc.stringMatching(/^[A-Za-z0-9_.]{2,24}$/),
      platform: fc.constantFrom(null, ...PLATFORMS),
      health: fc.constantFrom('ok', 'unknown', 'blocked'),
      tags: fc.uniqueArray(
        fc.stringMatching(/^[a-z0-9_][a-z0-9_-]{0,31}$/).filter((t) => t !== 'none'),
        {
          maxLength: 10,
        },
      ),
      proxyHost: fc.option(fc.constant('h.example:1')),
      hasLogin: fc.boolean(),
      quarantined: fc.boolean(),
      lastWarmedAt: fc.option(
        fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }),
      ),
      identity: fc.option(fc.string()),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(rowArb, { minLength: 1, maxLength: 20, selector: (r) => r.username.toLowerCase() }),
        (rows) => {
          const parsed = parseImportFile(writeFleetCsv(rows), { platforms: PLATFORMS });
          if (!parsed.ok) throw new Error(JSON.stringify(parsed.refusal));
          expect(parsed.file.bad).toEqual([]);
          expect(
            parsed.file.rows.map((r) => [r.username, r.tags ?? [], r.platform ?? null, r.proxy]),
          ).toEqual(rows.map((r) => [r.username, [...r.tags].sort(), r.platform, undefined]));
        },
      ),
    );
  });
});
