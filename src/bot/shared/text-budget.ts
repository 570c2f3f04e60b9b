// The HTML we write and Telegram's budgets for it: escaping (whatever came from a user is escaped
// through here), cuts before escaping (never in markup or an entity), the length Telegram counts
// (characters after entity parsing: 4096 for a text, 1024 for a caption), fitLines, which keeps
// whole lines within a budget and names the rest, and fitHtml/fitPlain, the send guard's last cut.

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;
/** The text of a callback query's answer (a toast or an alert): plain, 0–200 characters. */
export const MAX_CALLBACK_ANSWER = 200;

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Shortens plain text (before it is escaped: a cut never lands in markup or an entity). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  // Never split a surrogate pair: half an emoji is not valid UTF-8 on Telegram's side.
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** A user-given piece cut to `max` characters, then escaped. */
export const clip = (text: string, max: number) => escapeHtml(truncate(text, max));

// Telegram decodes every numeric reference and only these named ones; `&nbsp;` stays six characters.
const REFERENCE = /&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot);/gi;

/**
 * The length Telegram counts for our HTML: tags removed, references decoded. Counted in UTF-16
 * units, which is never less than what Telegram counts (Unicode characters): a text within this
 * budget is within Telegram's.
 */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(REFERENCE, (_, body: string) => {
    const code = body.startsWith('#')
      ? Number.parseInt(
          body.slice(body[1] === 'x' || body[1] === 'X' ? 2 : 1),
          body[1]?.toLowerCase() === 'x' ? 16 : 10,
        )
      : 0;
    return code > 0xffff ? 'xx' : 'x';
  }).length;
}

/** The text of our HTML without markup, escaped again: the last resort that always parses. */
function plainOf(html: string): string {
  const decoded = html
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');
  return decoded;
}

/** Items joined in one line, at most `max` of them and the rest counted: "a, b, c, +7". */
export function joinFew(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')}, +${items.length - max}`;
}

/** Pieces of our HTML joined in one line while it stays within `max` visible characters, the rest counted. */
export function joinWithin(pieces: readonly string[], max: number): string {
  let line = '';
  for (const [i, piece] of pieces.entries()) {
    const next = i === 0 ? piece : `${line}, ${piece}`;
    const rest = pieces.length - i - 1;
    if (visibleLength(next) + (rest > 0 ? `, +${rest}`.length : 0) > max)
      return i === 0 ? `+${pieces.length}` : `${line}, +${pieces.length - i}`;
    line = next;
  }
  return line;
}

export type LineBudget = {
  /** Always kept (the caller keeps them short). */
  head: string[];
  /** Kept from the start while they fit; the rest become one `more(n)` line. */
  body: string[];
  /** Kept after the body when they fit. */
  tail?: string[];
  max: number;
  more: (n: number) => string;
  /** Lines already left out before the budget (counted in the `more` line). */
  hidden?: number;
  /** Which end of the body is kept: its first lines (default), or its last ones (a history). */
  keep?: 'first' | 'last';
};

/**
 * Joins whole lines (each with its markup closed) within `max` visible characters; what does not
 * fit is named by a closing "…and N more" line instead of being cut off mid-line.
 */
export function fitLines({
  head,
  body,
  tail = [],
  max,
  more,
  hidden = 0,
  keep = 'first',
}: LineBudget): string {
  const size = (lines: string[]) =>
    lines.reduce((n, l) => n + visibleLength(l), 0) + Math.max(0, lines.length - 1);
  const tailSize = tail.length > 0 ? size(tail) + 1 : 0;
  const ordered = keep === 'first' ? body : [...body].reverse();
  const taken: string[] = [];
  let used = size(head);
  for (const line of ordered) {
    const left = body.length - taken.length - 1 + hidden;
    const reserve = left > 0 ? visibleLength(more(left)) + 1 : 0;
    if (used + visibleLength(line) + 1 + reserve + tailSize > max) break;
    taken.push(line);
    used += visibleLength(line) + 1;
  }
  const omitted = body.length - taken.length + hidden;
  const folded = omitted > 0 ? [more(omitted)] : [];
  const lines = keep === 'first' ? [...head, ...taken, ...folded] : [...head, ...folded, ...taken.reverse()];
  const withTail = [...lines, ...tail];
  if (size(withTail) <= max) return withTail.join('\n');
  if (size(lines) <= max) return lines.join('\n');
  // The head alone is too long (it should never be): its plain text, cut, still says something.
  return escapeHtml(truncate(plainOf(head.join('\n')), max));
}

/** Tags opened minus tags closed in a piece of our HTML (0 at a point where the text may end). */
function tagBalance(html: string): number {
  let balance = 0;
  for (const [, closing] of html.matchAll(/<(\/?)[^>]*>/g)) balance += closing ? -1 : 1;
  return balance;
}

/**
 * The send guard's last resort for HTML over `max`: whole lines are kept while they fit, up to a
 * line where no tag is left open, and "…" ends the text; when not even the first line fits, its
 * plain text, cut. Unchanged when it fits.
 */
export function fitHtml(html: string, max: number): string {
  if (visibleLength(html) <= max) return html;
  const lines = html.split('\n');
  let used = -1;
  let open = 0;
  let keep = 0;
  for (const [i, line] of lines.entries()) {
    used += visibleLength(line) + 1;
    open += tagBalance(line);
    if (used + 2 > max) break; // "\n…"
    if (open === 0) keep = i + 1;
  }
  if (keep > 0) return [...lines.slice(0, keep), '…'].join('\n');
  return escapeHtml(truncate(plainOf(html), max));
}

/** fitHtml for a text without markup (no parse_mode): whole lines and "…", else a cut line. */
export function fitPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  let used = -1;
  let keep = 0;
  for (const line of lines) {
    used += line.length + 1;
    if (used + 2 > max) break;
    keep += 1;
  }
  return keep > 0 ? [...lines.slice(0, keep), '…'].join('\n') : truncate(text, max);
}
