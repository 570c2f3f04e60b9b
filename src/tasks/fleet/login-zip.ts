// A ZIP of login files, `<username>.json` each: which files it holds and their text. Pure.
// Sizes written in the archive are not trusted: every file is inflated a slice at a time and stopped
// at its limit. The whole archive is refused for a bomb, too many entries or a path in a name;
// a single file is refused (and the others kept) for its own problem. It does not read the JSON.
import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';
import { parseUsername } from './username.ts';

export const ZIP_LIMITS = {
  /** The archive itself (Telegram lets a bot download 20 MB). */
  maxZipBytes: 20 * 1024 * 1024,
  /** Everything inflated, all files together. */
  maxInflatedBytes: 20 * 1024 * 1024,
  maxEntries: 2000,
  /** One login file, as /login takes it. */
  maxEntryBytes: 1024 * 1024,
  /** A file inflating more than this many times its compressed size past its limit is a bomb. */
  maxRatio: 100,
};
export type ZipLimits = typeof ZIP_LIMITS;

export type ZipEntry = { name: string; username: string; text: string };
export type ZipEntryReason =
  | 'notJson'
  | 'badName'
  | 'duplicate'
  | 'tooLarge'
  | 'encrypted'
  /** A compression method other than stored or deflate. */
  | 'unsupported'
  /** Corrupt data, a wrong checksum, or not UTF-8 text. */
  | 'unreadable';
export type ZipRefusal =
  | { code: 'tooLarge'; limit: number }
  | { code: 'notZip' }
  | { code: 'zipBomb'; limit: number }
  | { code: 'tooManyEntries'; limit: number }
  /** An entry named with '..', an absolute path or a drive letter. */
  | { code: 'pathInName' };
export type LoginZip =
  | { ok: true; entries: ZipEntry[]; refused: { name: string; reason: ZipEntryReason }[] }
  | { ok: false; refusal: ZipRefusal };

type Record_ = {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
};

const SLICE = 1024;

export function readLoginZip(bytes: Uint8Array, limits: ZipLimits = ZIP_LIMITS): LoginZip {
  if (bytes.length > limits.maxZipBytes) return refuse({ code: 'tooLarge', limit: limits.maxZipBytes });
  const directory = readDirectory(bytes, limits.maxEntries);
  if (!Array.isArray(directory)) return refuse(directory);
  // Every name is checked before anything is inflated: one bad name refuses the archive.
  if (directory.some((r) => isPathInName(r.name))) return refuse({ code: 'pathInName' });
  const entries: ZipEntry[] = [];
  const refused: { name: string; reason: ZipEntryReason }[] = [];
  const seen = new Set<string>();
  const budget = { left: limits.maxInflatedBytes };
  for (const record of directory) {
    const name = record.name.replaceAll('\\', '/');
    if (isSkipped(name)) continue;
    const base = name.slice(name.lastIndexOf('/') + 1);
    const reject = (reason: ZipEntryReason) => refused.push({ name: base, reason });
    if (!/\.json$/i.test(base)) {
      reject('notJson');
      continue;
    }
    const username = parseUsername(base.slice(0, -'.json'.length));
    if (!username) reject('badName');
    else if (seen.has(username.toLowerCase())) reject('duplicate');
    else {
      seen.add(username.toLowerCase());
      const out = extract(bytes, record, limits, budget);
      if (out === 'bomb') return refuse({ code: 'zipBomb', limit: limits.maxInflatedBytes });
      if (typeof out === 'string') reject(out);
      else entries.push({ name: base, username, text: out.text });
    }
  }
  return { ok: true, entries, refused };
}

/** The central directory's records; a refusal when it cannot be read or lists too many. */
function readDirectory(bytes: Uint8Array, maxEntries: number): Record_[] | ZipRefusal {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfDirectory(view);
  if (end < 0) return { code: 'notZip' };
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const start = view.getUint32(end + 16, true);
  // ZIP64 (these fields at their maximum) is for archives far beyond our limits.
  if (count === 0xffff || start === 0xffffffff || start + size > end) return { code: 'notZip' };
  if (count > maxEntries) return { code: 'tooManyEntries', limit: maxEntries };
  const records: Record_[] = [];
  let at = start;
  while (at < start + size) {
    if (records.length === maxEntries) return { code: 'tooManyEntries', limit: maxEntries };
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) return { code: 'notZip' };
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (at + 46 + skip > end) return { code: 'notZip' };
    records.push({
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    });
    at += 46 + skip;
  }
  return records;
}

/** The end-of-central-directory record: the last 22 bytes, or up to 64 KiB more for a comment. */
function findEndOfDirectory(view: DataView): number {
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) return at;
  }
  return -1;
}

function isPathInName(name: string): boolean {
  const path = name.replaceAll('\\', '/');
  return path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.split('/').includes('..');
}

/** Folders, macOS's resource forks and hidden files are not login files anyone sent. */
function isSkipped(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return name.endsWith('/') || name.split('/').includes('__MACOSX') || base.startsWith('.');
}

/** What is left to inflate for the whole archive: every file inflated counts, refused or not. */
type Budget = { left: number };

/** One file's text, inflated a slice at a time and stopped at its limit. */
function extract(
  bytes: Uint8Array,
  record: Record_,
  limits: ZipLimits,
  budget: Budget,
): { text: string } | ZipEntryReason | 'bomb' {
  if (record.flags & 1) return 'encrypted';
  if (record.method !== 0 && record.method !== 8) return 'unsupported';
  if (record.size > limits.maxEntryBytes)
    return record.size > record.compressedSize * limits.maxRatio ? 'bomb' : 'tooLarge';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = record.offset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) return 'unreadable';
  const dataStart = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.subarray(dataStart, dataStart + record.compressedSize);
  if (data.length !== record.compressedSize) return 'unreadable';
  const out = record.method === 0 ? storedData(data, limits, budget) : inflateData(data, limits, budget);
  if (typeof out === 'string') return out;
  if (out.length !== record.size || crc32(out) !== record.crc) return 'unreadable';
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(out).replace(/^\uFEFF/, '') };
  } catch {
    return 'unreadable';
  }
}

function storedData(data: Uint8Array, limits: ZipLimits, budget: Budget): Uint8Array | 'tooLarge' | 'bomb' {
  if (data.length > limits.maxEntryBytes) return 'tooLarge';
  budget.left -= data.length;
  return budget.left < 0 ? 'bomb' : data;
}

function inflateData(
  data: Uint8Array,
  limits: ZipLimits,
  budget: Budget,
): Uint8Array | 'tooLarge' | 'unreadable' | 'bomb' {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    chunks.push(chunk);
    size += chunk.length;
    budget.left -= chunk.length;
    ended ||= final;
  });
  try {
    // A slice of 1 KiB inflates to at most ~1 MiB (deflate's ratio is below 1 : 1032).
    for (let read = 0; read < data.length && !ended; ) {
      const next = Math.min(data.length, read + SLICE);
      inflater.push(data.subarray(read, next), next === data.length);
      read = next;
      if (budget.left < 0) return 'bomb';
      if (size > limits.maxEntryBytes) return size > read * limits.maxRatio ? 'bomb' : 'tooLarge';
    }
  } catch {
    return 'unreadable';
  }
  if (!ended) return 'unreadable';
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function refuse(refusal: ZipRefusal): LoginZip {
  return { ok: false, refusal };
}
