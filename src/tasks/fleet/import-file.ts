// The bulk import file (CSV or TXT): one account a line, columns username, proxy, tags, platform.
// Pure. Each bad line is reported by its line number in the file with a reason code, never with
// its text (a misplaced column may be a password). What a cell means:
// - separated by comma, semicolon or tab (detected from the first lines); quotes as in CSV;
// - an optional header names the columns in any order (unknown ones ignored, so an export
//   re-imports); without one the order is username, proxy, tags (platform needs a header);
// - proxy, tags, platform: a missing column or an empty cell leaves an existing account's value as
//   it is (a new account gets none, no tags, the default platform); `none` clears it;
// - a proxy in either form of proxy.ts; tags split by '|', ',', ';' or spaces (tags.ts);
// - blank lines and lines starting with '#' are skipped; a username twice is refused on the later line.
import { type Options, parse } from 'csv-parse/sync';
import { type ParsedProxy, type ProxyReason, parseProxy } from './proxy.ts';
import { parseTags } from './tags.ts';
import { parseUsername } from './username.ts';

export const IMPORT_LIMITS = { maxBytes: 1024 * 1024, maxLines: 5000 } as const;
export const IMPORT_COLUMNS = ['username', 'proxy', 'tags', 'platform'] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
/** Without a header line. */
const POSITIONAL: readonly Column[] = ['username', 'proxy', 'tags'];
const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
const CLEAR = 'none';

export type ImportRow = {
  line: number;
  username: string;
  /** undefined: keep the account's proxy (none for a new one); null: remove it. */
  proxy: ParsedProxy | null | undefined;
  /** undefined: keep its tags (none for a new one); []: remove them all. */
  tags: string[] | undefined;
  /** undefined: keep its platform (the default for a new one); null: back to the default. */
  platform: string | null | undefined;
};

export type ImportLineReason =
  | 'badUsername'
  | 'badProxy'
  | 'socks5Auth'
  | 'badTag'
  | 'tooManyTags'
  | 'unknownPlatform'
  | 'duplicate'
  | 'tooManyColumns'
  | 'badQuoting';

export type BadLine = {
  line: number;
  reason: ImportLineReason;
  /** For badProxy: what is wrong with it. */
  proxyReason?: ProxyReason;
  /** For duplicate: the line that named the account first. */
  firstLine?: number;
};

export type ImportRefusal =
  | { code: 'tooLarge'; limit: number }
  | { code: 'tooManyLines'; limit: number }
  /** Not text at all (a spreadsheet's binary file, an image). */
  | { code: 'notText' }
  | { code: 'noAccounts' }
  | { code: 'noUsernameColumn' }
  | { code: 'duplicateColumn'; column: Column };

export type ParsedImport = {
  rows: ImportRow[];
  bad: BadLine[];
  header: boolean;
  delimiter: Delimiter;
};

export type ImportParse = { ok: true; file: ParsedImport } | { ok: false; refusal: ImportRefusal };

export type ImportOptions = {
  /** The platform names an account may have (site profiles); compared in lower case. */
  platforms: readonly string[];
  limits?: { maxBytes: number; maxLines: number };
};

type Line = { number: number; text: string };

export function parseImportFile(input: Uint8Array | string, options: ImportOptions): ImportParse {
  const limits = options.limits ?? IMPORT_LIMITS;
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > limits.maxBytes) return refuse({ code: 'tooLarge', limit: limits.maxBytes });
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  if (text.includes('\u0000')) return refuse({ code: 'notText' });
  const lines = meaningfulLines(text);
  if (lines.length === 0) return refuse({ code: 'noAccounts' });
  const delimiter = detectDelimiter(lines.slice(0, 20));
  const first = splitCells(lines[0]!.text, delimiter);
  const header = first && isHeader(first) ? first : undefined;
  const data = header ? lines.slice(1) : lines;
  if (data.length > limits.maxLines) return refuse({ code: 'tooManyLines', limit: limits.maxLines });
  const columns = header ? readHeader(header) : { ok: true as const, columns: POSITIONAL };
  if (!columns.ok) return refuse(columns.refusal);
  if (data.length === 0) return refuse({ code: 'noAccounts' });
  const reader = createRowReader(columns.columns, options.platforms);
  const cells = splitLines(
    data.map((l) => l.text),
    delimiter,
  );
  for (const [i, line] of data.entries()) reader.read(line, cells[i]);
  return { ok: true, file: { ...reader.result(), header: header !== undefined, delimiter } };
}

/** Lines that hold something, numbered as in the file (blank and '#' lines skipped). */
function meaningfulLines(text: string): Line[] {
  const lines: Line[] = [];
  for (const [i, raw] of text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .entries()) {
    const trimmed = raw.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) lines.push({ number: i + 1, text: raw });
  }
  return lines;
}

/**
 * The separator under which most of the first lines start with a username (or the header's
 * `username`): a proxy or a tag cell may hold the other separators, a username never does.
 */
function detectDelimiter(sample: readonly Line[]): Delimiter {
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const score = sample.filter((line) => {
      if (!line.text.includes(delimiter)) return false;
      const first = splitCells(line.text, delimiter)?.[0] ?? '';
      return first.toLowerCase() === 'username' || parseUsername(first) !== undefined;
    }).length;
    if (score > bestScore) [best, bestScore] = [delimiter, score];
  }
  return best;
}

/**
 * The trimmed cells of one line, trailing empty ones dropped; undefined when its quotes are broken.
 * A line without quotes is split as it is.
 */
function splitCells(text: string, delimiter: Delimiter): string[] | undefined {
  return splitLines([text], delimiter)[0];
}

/**
 * splitCells of many lines. The lines with quotes go to csv-parse together (one call per line costs
 * ~50× more); when that does not give exactly one record per line — a broken quote swallowed a line
 * break or was skipped — each is parsed alone, so the damage stays on its own line.
 */
function splitLines(texts: readonly string[], delimiter: Delimiter): (string[] | undefined)[] {
  const options = { delimiter, relax_quotes: true, relax_column_count: true, trim: true };
  const quoted = texts.flatMap((text, i) => (text.includes('"') ? [i] : []));
  let records: (string[] | undefined)[] | undefined;
  try {
    records = parse(quoted.map((i) => texts[i]).join('\n'), { ...options, skip_records_with_error: true });
  } catch {}
  if (records?.length !== quoted.length) records = quoted.map((i) => parseAlone(texts[i]!, options));
  const byLine = new Map(quoted.map((lineIndex, k) => [lineIndex, records[k]]));
  return texts.map((text, i) => {
    const cells = byLine.has(i) ? byLine.get(i) : text.split(delimiter).map((c) => c.trim());
    return cells && cleanCells(cells);
  });
}

function parseAlone(text: string, options: Options): string[] | undefined {
  try {
    const records: string[][] = parse(text, options);
    return records.length === 1 ? records[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Trailing empty cells dropped, and the quote an export guards a formula-like cell with taken off. */
function cleanCells(cells: readonly string[]): string[] {
  const kept = [...cells];
  while (kept.length > 0 && kept.at(-1) === '') kept.pop();
  return kept.map((c) => (/^'[=+\-@]/.test(c) ? c.slice(1) : c));
}

function isHeader(cells: readonly string[]): boolean {
  return cells.some((c) => (IMPORT_COLUMNS as readonly string[]).includes(c.toLowerCase()));
}

/** Each cell's column, or undefined for a column we do not read. */
function readHeader(
  cells: readonly string[],
): { ok: true; columns: (Column | undefined)[] } | { ok: false; refusal: ImportRefusal } {
  const columns: (Column | undefined)[] = [];
  for (const cell of cells) {
    const name = cell.toLowerCase();
    const column = (IMPORT_COLUMNS as readonly string[]).includes(name) ? (name as Column) : undefined;
    if (column && columns.includes(column))
      return { ok: false, refusal: { code: 'duplicateColumn', column } };
    columns.push(column);
  }
  if (!columns.includes('username')) return { ok: false, refusal: { code: 'noUsernameColumn' } };
  return { ok: true, columns };
}

function createRowReader(columns: readonly (Column | undefined)[], platforms: readonly string[]) {
  const known = new Set(platforms.map((p) => p.toLowerCase()));
  const rows: ImportRow[] = [];
  const bad: BadLine[] = [];
  const firstLineOf = new Map<string, number>();

  const readRow = (line: number, cells: readonly string[]): ImportRow | BadLine => {
    if (cells.length > columns.length) return { line, reason: 'tooManyColumns' };
    const cell = (column: Column) => {
      const i = columns.indexOf(column);
      return i < 0 ? '' : (cells[i] ?? '');
    };
    const username = parseUsername(cell('username'));
    if (!username) return { line, reason: 'badUsername' };
    const first = firstLineOf.get(username.toLowerCase());
    if (first !== undefined) return { line, reason: 'duplicate', firstLine: first };
    firstLineOf.set(username.toLowerCase(), line);
    const row: ImportRow = { line, username, proxy: undefined, tags: undefined, platform: undefined };
    const proxyCell = cell('proxy');
    if (proxyCell.toLowerCase() === CLEAR) row.proxy = null;
    else if (proxyCell !== '') {
      const proxy = parseProxy(proxyCell);
      if (!proxy.ok)
        return proxy.reason === 'socks5Auth'
          ? { line, reason: 'socks5Auth' }
          : { line, reason: 'badProxy', proxyReason: proxy.reason };
      row.proxy = proxy.proxy;
    }
    const tagsCell = cell('tags');
    if (tagsCell !== '') {
      const tags = parseTags(tagsCell);
      if (!tags.ok) return { line, reason: tags.reason };
      row.tags = tags.tags;
    }
    const platform = cell('platform').toLowerCase();
    if (platform === CLEAR) row.platform = null;
    else if (platform !== '') {
      if (!known.has(platform)) return { line, reason: 'unknownPlatform' };
      row.platform = platform;
    }
    return row;
  };

  return {
    read(line: Line, cells: string[] | undefined) {
      const result = cells
        ? readRow(line.number, cells)
        : { line: line.number, reason: 'badQuoting' as const };
      if ('reason' in result) bad.push(result);
      else rows.push(result);
    },
    result: () => ({ rows, bad }),
  };
}

function refuse(refusal: ImportRefusal): ImportParse {
  return { ok: false, refusal };
}
