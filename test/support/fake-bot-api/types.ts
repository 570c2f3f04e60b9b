// Shapes shared by the fake Bot API's modules: Telegram objects as the fake stores them (a loose
// subset of the Bot API types), recorded calls, failure specs and the error a method handler throws.

export type Params = Record<string, unknown>;

export type FakeUser = {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
};

export type FakeChat = {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
};

export type MessageEntity = { type: string; offset: number; length: number; url?: string; language?: string };

export type InlineButton = { text: string; callback_data?: string; url?: string } & Params;
export type ReplyMarkup = { inline_keyboard?: InlineButton[][] } & Params;

export type PhotoSize = {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
};
export type DocumentRef = {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size: number;
};

export type FakeMessage = {
  message_id: number;
  date: number;
  chat: FakeChat;
  from?: FakeUser;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: DocumentRef;
  reply_markup?: ReplyMarkup;
  reply_to_message?: FakeMessage;
  edit_date?: number;
};

export type StoredFile = {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  bytes: Buffer;
  fileName?: string;
  mimeType?: string;
};

export type Upload = { bytes: Buffer; fileName: string };

/** One request the fake answered (or, for a held long poll, is still answering: `response` unset). */
export type ApiCall = {
  /** Position in the call log; pass it as `since` to wait only for later calls. */
  index: number;
  method: string;
  params: Params;
  /** Files uploaded as multipart parts, by field name (e.g. `photo`, `document`). */
  uploads: Record<string, Upload>;
  /** Date.now() when the request arrived. */
  at: number;
  /** performance.now() when the request arrived (for latency measurements). */
  arrived: number;
  /** HTTP status sent; 0 when the connection was reset on purpose. */
  status?: number;
  response?: ApiResponse;
};

export type ApiResponse =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

export type FailureSpec = {
  /** HTTP status to answer with (400, 403, 429, 500, 502…). Ignored when `reset` is set. */
  status?: number;
  description?: string;
  /** Seconds, sent as `parameters.retry_after` (429 defaults to 1). */
  retryAfter?: number;
  /** Destroy the socket instead of answering: the client sees a network error. */
  reset?: boolean;
  /** Never answer (Telegram hangs): the request is held until the client gives up, recover() or close(). */
  stall?: boolean;
};

export type RateLimits = { perChatPerSecond: number; perGroupPerMinute: number; globalPerSecond: number };

/** Thrown by method handlers; becomes `{ ok: false, error_code, description }`. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, description: string) {
    super(description);
    this.status = status;
  }
}

export const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);
