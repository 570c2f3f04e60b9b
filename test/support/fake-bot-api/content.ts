// Message content as Telegram validates it: text and captions parsed per parse_mode within their
// length limits (counted in Unicode characters after parsing, as TDLib's utf8_length does), inline
// keyboards of at most 100 buttons, 8 a row and ~10 kB, with callback_data of 1–64 bytes, and
// edits that must change something.
import { isDeepStrictEqual } from 'node:util';
import { parseHtml } from './html.ts';
import { badRequest, type FakeMessage, type MessageEntity, type ReplyMarkup } from './types.ts';
import { nowSeconds } from './world.ts';

type Formatted = Pick<FakeMessage, 'text' | 'entities' | 'caption' | 'caption_entities'>;

/** Parses text or a caption per parse_mode and enforces its length limit; undefined when empty. */
export function formatted(
  source: unknown,
  parseMode: unknown,
  entities: unknown,
  field: 'text' | 'caption',
): Formatted | undefined {
  if (source === undefined || source === '') return undefined;
  const raw = String(source);
  const parsed =
    parseMode === 'HTML'
      ? parseHtml(raw)
      : { text: raw, entities: Array.isArray(entities) ? (entities as MessageEntity[]) : [] };
  if (parsed.text.trim() === '') return undefined;
  const characters = [...parsed.text].length;
  if (field === 'text' && characters > 4096) throw badRequest('message is too long');
  if (field === 'caption' && characters > 1024) throw badRequest('message caption is too long');
  const entityField = field === 'text' ? 'entities' : 'caption_entities';
  return { [field]: parsed.text, ...(parsed.entities.length > 0 ? { [entityField]: parsed.entities } : {}) };
}

export function markupOf(value: unknown): { reply_markup?: ReplyMarkup } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') throw badRequest("can't parse reply keyboard markup JSON object");
  const markup = value as ReplyMarkup;
  const rows = markup.inline_keyboard ?? [];
  // What Telegram's servers are known to refuse; its Bot API documents no number.
  if (
    rows.flat().length > 100 ||
    rows.some((row) => row.length > 8) ||
    Buffer.byteLength(JSON.stringify(markup)) > 10_000
  )
    throw badRequest('reply markup is too long');
  for (const row of rows) {
    for (const button of row) {
      if (typeof button.text !== 'string' || button.text === '') throw badRequest('BUTTON_TEXT_INVALID');
      const data = button.callback_data;
      if (data !== undefined && (typeof data !== 'string' || data === '' || Buffer.byteLength(data) > 64)) {
        throw badRequest('BUTTON_DATA_INVALID');
      }
    }
  }
  return { reply_markup: markup };
}

/** Replaces the listed fields with those in `next`; Telegram refuses an edit that changes nothing. */
export function applyEdit(
  message: FakeMessage,
  next: Partial<FakeMessage>,
  fields: (keyof FakeMessage)[],
): FakeMessage {
  if (fields.every((field) => isDeepStrictEqual(message[field], next[field]))) {
    throw badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
  }
  const target = message as Record<string, unknown>;
  for (const field of fields) {
    if (next[field] === undefined) delete target[field];
    else target[field] = next[field];
  }
  message.edit_date = nowSeconds();
  return message;
}
