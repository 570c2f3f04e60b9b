// The fleet as a CSV file: one account a line, the proxy's host only (never a credential). Pure.
// Its username, platform and tags columns re-import unchanged through import-file.ts (whose header
// reading ignores the other columns); a cell a spreadsheet would run as a formula gets a leading quote.
import { stringify } from 'csv-stringify/sync';

export const EXPORT_COLUMNS = [
  'username',
  'platform',
  'health',
  'tags',
  'proxy_host',
  'login',
  'quarantined',
  'last_warmed',
  'identity',
] as const;

export type ExportRow = {
  username: string;
  /** null: the deployment's default platform (written as an empty cell: it re-imports as "keep"). */
  platform: string | null;
  health: string;
  tags: readonly string[];
  proxyHost: string | null;
  hasLogin: boolean;
  quarantined: boolean;
  lastWarmedAt: Date | null;
  /** One line describing the browser it shows sites. */
  identity: string | null;
};

/** UTF-8 with a byte-order mark, which spreadsheets need to show the identity's '·' and '×'. */
export function writeFleetCsv(rows: readonly ExportRow[]): string {
  const records = rows.map((r) =>
    [
      r.username,
      r.platform ?? '',
      r.health,
      r.tags.join('|'),
      r.proxyHost ?? '',
      r.hasLogin ? 'yes' : 'no',
      r.quarantined ? 'yes' : 'no',
      r.lastWarmedAt ? r.lastWarmedAt.toISOString().replace(/\.\d{3}Z$/, 'Z') : '',
      r.identity ?? '',
    ].map(defuseFormula),
  );
  return `\uFEFF${stringify([[...EXPORT_COLUMNS], ...records], { record_delimiter: '\r\n' })}`;
}

/** OWASP's CSV-injection guard: a cell starting with = + - @ tab or CR is prefixed with a quote. */
export function defuseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
