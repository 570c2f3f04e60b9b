// Reads a Bot API request's parameters as Telegram accepts them: query string, JSON, urlencoded or
// multipart/form-data (files kept as bytes). Form values arrive as strings, so known fields are
// coerced back to numbers, booleans and JSON objects.
import type { IncomingMessage } from 'node:http';
import { badRequest, type Params, type Upload } from './types.ts';

const JSON_FIELDS = new Set([
  'reply_markup',
  'allowed_updates',
  'entities',
  'caption_entities',
  'commands',
  'scope',
  'link_preview_options',
  'reply_parameters',
]);
const NUMBER_FIELDS = new Set([
  'chat_id',
  'message_id',
  'reply_to_message_id',
  'message_thread_id',
  'offset',
  'limit',
  'timeout',
  'cache_time',
  'user_id',
  'max_connections',
]);
const BOOLEAN_FIELDS = new Set([
  'disable_notification',
  'protect_content',
  'show_alert',
  'drop_pending_updates',
  'disable_web_page_preview',
  'allow_sending_without_reply',
  'disable_content_type_detection',
]);

export type RequestBody = { params: Params; uploads: Record<string, Upload> };

export async function readRequestBody(req: IncomingMessage, url: URL): Promise<RequestBody> {
  const params: Params = {};
  const uploads: Record<string, Upload> = {};
  for (const [key, value] of url.searchParams) params[key] = coerce(key, value);
  const raw = await readAll(req);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { params, uploads };
  if (type.startsWith('application/json')) {
    const json = parseJson('request body', raw.toString('utf8'));
    if (typeof json === 'object' && json !== null) Object.assign(params, json);
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) params[key] = coerce(key, value);
  } else if (type.startsWith('multipart/form-data')) {
    // The platform's multipart parser (undici) rejects malformed bodies, which is what we want to catch.
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData().catch(() => {
      throw badRequest("can't parse multipart/form-data body");
    });
    for (const [key, value] of form) {
      if (typeof value === 'string') params[key] = coerce(key, value);
      else uploads[key] = { bytes: Buffer.from(await value.arrayBuffer()), fileName: value.name };
    }
    // telegraf repeats the method name as a form field; Telegram ignores it.
    delete params.method;
  }
  return { params, uploads };
}

function coerce(key: string, value: string): unknown {
  if (JSON_FIELDS.has(key)) return parseJson(key, value);
  if (NUMBER_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function parseJson(what: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(`can't parse ${what} as JSON`);
  }
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
