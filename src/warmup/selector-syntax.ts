// A cheap, browser-free syntax check for profile selectors (CSS, or Playwright's `engine=` and
// `>>` chains): unbalanced brackets and quotes, empty parts, dangling combinators.
const OPENERS: Record<string, string> = { ']': '[', ')': '(' };

/** Describes what is wrong with the selector, or null when it looks well-formed. */
export function findSelectorProblem(selector: string): string | null {
  const chain = splitTopLevel(selector, '>>', false);
  if (typeof chain === 'string') return chain;
  for (const part of chain) {
    const trimmed = part.trim();
    if (trimmed === '') return 'an empty part in a ">>" chain';
    const engine = /^([a-z][a-z0-9_-]*)=/i.exec(trimmed)?.[1]?.toLowerCase();
    // Other engines (text=, role=, …) take free text; only CSS needs the structural checks.
    if (engine !== undefined && engine !== 'css') continue;
    const list = splitTopLevel(engine === 'css' ? trimmed.slice(4) : trimmed, ',', true);
    if (typeof list === 'string') return list;
    for (const item of list.map((s) => s.trim())) {
      if (item === '') return 'an empty selector in a comma-separated list';
      if (/[>+~]$/.test(item)) return `"${item}" ends with a combinator`;
      if (/^[>+~]/.test(item)) return `"${item}" starts with a combinator`;
    }
  }
  return null;
}

/** Splits at separators outside quotes (and brackets); a string when they don't balance. */
function splitTopLevel(text: string, separator: string, brackets: boolean): string[] | string {
  const parts: string[] = [];
  const stack: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      i++;
    } else if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (brackets && (ch === '[' || ch === '(')) {
      stack.push(ch);
    } else if (brackets && (ch === ']' || ch === ')')) {
      if (stack.pop() !== OPENERS[ch]) return `unexpected "${ch}"`;
    } else if (stack.length === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i = start - 1;
    }
  }
  if (quote) return `unterminated quote (${quote})`;
  if (stack.length > 0) return `unclosed "${stack.at(-1)}"`;
  parts.push(text.slice(start));
  return parts;
}
