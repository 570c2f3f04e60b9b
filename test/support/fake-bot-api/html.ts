// Telegram's HTML parse mode, as far as tests need it: supported tags become entities, named and
// numeric character references are decoded, and markup Telegram rejects is rejected with its
// "can't parse entities" error — so a bot that forgets to escape user input fails in tests too.
import { badRequest, type MessageEntity } from './types.ts';

const TAG_ENTITY: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};
const NAMED_REFERENCES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

type OpenTag = { name: string; offset: number; url: string | undefined };

export function parseHtml(source: string): { text: string; entities: MessageEntity[] } {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: OpenTag[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '&') {
      const ref = /^&(#x[0-9a-f]+|#\d+|[a-z]+);/i.exec(source.slice(i, i + 16));
      const decoded = ref ? decodeReference(ref[1]!) : undefined;
      text += decoded ?? '&';
      i += decoded === undefined ? 1 : ref![0].length;
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }
    const end = source.indexOf('>', i);
    if (end < 0)
      throw cantParse(`Can't find end of the tag starting at byte offset ${byteOffset(source, i)}`);
    const tag = source.slice(i + 1, end);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim().toLowerCase();
      const top = open.pop();
      if (!top || (name !== '' && name !== top.name)) {
        throw cantParse(
          `Unmatched end tag at byte offset ${byteOffset(source, i)}, expected "</${top?.name ?? ''}>", found "</${name}>"`,
        );
      }
      const length = text.length - top.offset;
      const type = TAG_ENTITY[top.name]!;
      if (length > 0 && (type !== 'text_link' || top.url)) {
        entities.push({ type, offset: top.offset, length, ...(top.url ? { url: top.url } : {}) });
      }
    } else {
      const parts = /^([a-z-]+)(\s[\s\S]*)?$/i.exec(tag);
      const name = parts?.[1]?.toLowerCase() ?? '';
      if (!(name in TAG_ENTITY)) {
        throw cantParse(`Unsupported start tag "${name}" at byte offset ${byteOffset(source, i)}`);
      }
      const attributes = parts?.[2] ?? '';
      if (name === 'span' && !/class\s*=\s*["']tg-spoiler["']/.test(attributes)) {
        throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(source, i)}`);
      }
      const href = /href\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(attributes);
      open.push({ name, offset: text.length, url: name === 'a' ? (href?.[1] ?? href?.[2]) : undefined });
    }
    i = end + 1;
  }
  const unclosed = open.pop();
  if (unclosed) throw cantParse(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  entities.sort((a, b) => a.offset - b.offset);
  return { text, entities };
}

function decodeReference(body: string): string | undefined {
  if (!body.startsWith('#')) return NAMED_REFERENCES[body.toLowerCase()];
  const code =
    body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

const byteOffset = (source: string, index: number): number => Buffer.byteLength(source.slice(0, index));

const cantParse = (detail: string) => badRequest(`can't parse entities: ${detail}`);
