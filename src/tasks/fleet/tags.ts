// Account tags (groups): what a tag may be and how a list of them is read from a cell or a command.
// Pure. A tag is lower case `[a-z0-9_][a-z0-9_-]*`, at most 32 characters (never starting with '-',
// so an exported cell never needs a spreadsheet-formula guard); an account has at most 10.

export const MAX_TAGS = 10;
/** Written alone, it clears an account's tags; so it cannot be a tag itself. */
export const NO_TAGS = 'none';

const TAG_RE = /^[a-z0-9_][a-z0-9_-]{0,31}$/;

export type TagsReason = 'badTag' | 'tooManyTags';
export type TagsParse = { ok: true; tags: string[] } | { ok: false; reason: TagsReason };

export function isTag(text: string): boolean {
  return TAG_RE.test(text) && text !== NO_TAGS;
}

/** 'Spring' → 'spring'; undefined when it cannot be a tag. */
export function normaliseTag(text: string): string | undefined {
  const tag = text.trim().toLowerCase();
  return isTag(tag) ? tag : undefined;
}

/**
 * Tags separated by '|', ',', ';' or spaces → sorted, each once. `none` alone (or nothing) is no
 * tags at all.
 */
export function parseTags(text: string): TagsParse {
  const pieces = text.split(/[|,;\s]+/).filter((p) => p !== '');
  if (pieces.length === 1 && pieces[0]!.toLowerCase() === NO_TAGS) return { ok: true, tags: [] };
  const tags = new Set<string>();
  for (const piece of pieces) {
    const tag = normaliseTag(piece);
    if (!tag) return { ok: false, reason: 'badTag' };
    tags.add(tag);
  }
  if (tags.size > MAX_TAGS) return { ok: false, reason: 'tooManyTags' };
  return { ok: true, tags: [...tags].sort() };
}

/** The same set of tags, in whatever order. */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = [...b].sort();
  return [...a].sort().every((tag, i) => tag === sorted[i]);
}
