// The HTML we write and Telegram's budgets for it: escaping (whatever came from a user is escaped
// through here), cuts before escaping (never in markup or an entity), the length Telegram counts
// (characters after entity parsing: 4096 for a text, 1024 for a caption), and fitLines, which keeps
// whole lines within a budget and names the rest.

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

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

const REFERENCE = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;

/** The length Telegram counts for a line of our HTML: tags removed, references decoded (UTF-16). */
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
};

/**
 * Joins whole lines (each with its markup closed) within `max` visible characters; what does not
 * fit is named by a closing "…and N more" line instead of being cut off mid-line.
 */
export function fitLines({ head, body, tail = [], max, more, hidden = 0 }: LineBudget): string {
  const size = (lines: string[]) =>
    lines.reduce((n, l) => n + visibleLength(l), 0) + Math.max(0, lines.length - 1);
  const tailSize = tail.length > 0 ? size(tail) + 1 : 0;
  const lines = [...head];
  let used = size(head);
  let kept = 0;
  for (const line of body) {
    const left = body.length - kept - 1 + hidden;
    const reserve = left > 0 ? visibleLength(more(left)) + 1 : 0;
    if (used + visibleLength(line) + 1 + reserve + tailSize > max) break;
    lines.push(line);
    used += visibleLength(line) + 1;
    kept += 1;
  }
  const omitted = body.length - kept + hidden;
  if (omitted > 0) lines.push(more(omitted));
  const withTail = [...lines, ...tail];
  if (size(withTail) <= max) return withTail.join('\n');
  if (size(lines) <= max) return lines.join('\n');
  // The head alone is too long (it should never be): its plain text, cut, still says something.
  return escapeHtml(truncate(plainOf(head.join('\n')), max));
}
