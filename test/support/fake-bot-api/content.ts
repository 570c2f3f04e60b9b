// Message content as Telegram validates it: text and captions parsed per parse_mode within their
// length limits, inline keyboards with callback_data of 1–64 bytes, and edits that must change something.
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
  if (field === 'text' && parsed.text.length > 4096) throw badRequest('message is too long');
  if (field === 'caption' && parsed.text.length > 1024) throw badRequest('message caption is too long');
  const entityField = field === 'text' ? 'entities' : 'caption_entities';
  return { [field]: parsed.text, ...(parsed.entities.length > 0 ? { [entityField]: parsed.entities } : {}) };
}

export function markupOf(value: unknown): { reply_markup?: ReplyMarkup } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') throw badRequest("can't parse reply keyboard markup JSON object");
  const markup = value as ReplyMarkup;
  for (const row of markup.inline_keyboard ?? []) {
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
