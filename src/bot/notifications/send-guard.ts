// The one place Telegram's size limits are kept for every outgoing Bot API call (the send budget
// applies it to every Telegram object): texts (4096 characters after parsing), captions (1024),
// callback answers (200), inline keyboards (100 buttons, 8 a row, ~10 kB) and callback data (1–64
// bytes). Builders fold their own lists; this is the last resort: nothing fails for size.
import type { Logger } from '../../logger.ts';
import { fitKeyboard, MAX_BUTTONS } from '../shared/buttons.ts';
import {
  fitHtml,
  fitPlain,
  MAX_CALLBACK_ANSWER,
  MAX_CAPTION,
  MAX_TEXT,
  visibleLength,
} from '../shared/text-budget.ts';

type Payload = Record<string, unknown>;

/** What the guard changed in one call: a field cut (`before` → `after` characters), or a keyboard (buttons). */
export type GuardFinding = { field: string; limit: number; before: number; after: number };

export type GuardReport = {
  method: string;
  chatId: unknown;
  findings: GuardFinding[];
  /** Callback data Telegram refuses (a bug of the builder): those buttons were left out. */
  badData: string[];
  /** The code that built the payload: the first frame of ours outside the sending machinery. */
  builder: string | undefined;
};

/** Methods whose `text` is a message text, and those whose `caption` is a media caption. */
const TEXT_METHODS = new Set(['sendMessage', 'editMessageText']);
const CAPTION_METHODS = new Set([
  'sendPhoto',
  'sendDocument',
  'sendVideo',
  'sendAnimation',
  'sendAudio',
  'sendVoice',
  'editMessageCaption',
  'copyMessage',
]);

/** One text field within its limit: HTML measured as Telegram parses it, anything else as it is. */
function fitField(
  payload: Payload,
  field: string,
  limit: number,
  html: boolean,
  findings: GuardFinding[],
): Payload {
  const value = payload[field];
  if (typeof value !== 'string') return payload;
  const size = (s: string) => (html ? visibleLength(s) : s.length);
  const before = size(value);
  if (before <= limit) return payload;
  const fitted = html ? fitHtml(value, limit) : fitPlain(value, limit);
  findings.push({ field, limit, before, after: size(fitted) });
  return { ...payload, [field]: fitted };
}

/** The inline keyboard within its limits (a markup given as JSON text is read first). */
function fitMarkup(payload: Payload, findings: GuardFinding[], badData: string[]): Payload {
  let markup = payload.reply_markup;
  if (typeof markup === 'string') {
    try {
      markup = JSON.parse(markup);
    } catch {
      return payload; // not ours to judge: Telegram will say what is wrong with it
    }
  }
  const rows = (markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) return payload;
  const fitted = fitKeyboard(rows as object[][]);
  badData.push(...fitted.badData);
  const before = rows.reduce((n: number, row: unknown[]) => n + row.length, 0);
  if (fitted.dropped === 0 && fitted.wrapped === 0 && fitted.badData.length === 0) return payload;
  const after = fitted.rows.reduce((n, row) => n + row.length, 0);
  findings.push({ field: 'reply_markup', limit: MAX_BUTTONS, before, after });
  return { ...payload, reply_markup: { ...(markup as object), inline_keyboard: fitted.rows } };
}

/** The payload within Telegram's limits (the same object when nothing needed changing). */
export function guardPayload(
  method: string,
  payload: Payload,
): { payload: Payload; findings: GuardFinding[]; badData: string[] } {
  const findings: GuardFinding[] = [];
  const badData: string[] = [];
  const html = payload.parse_mode === 'HTML';
  let out = payload;
  if (TEXT_METHODS.has(method)) out = fitField(out, 'text', MAX_TEXT, html, findings);
  if (CAPTION_METHODS.has(method)) out = fitField(out, 'caption', MAX_CAPTION, html, findings);
  // A callback answer is plain text (a toast or an alert).
  if (method === 'answerCallbackQuery') out = fitField(out, 'text', MAX_CALLBACK_ANSWER, false, findings);
  if ('reply_markup' in out) out = fitMarkup(out, findings, badData);
  return { payload: out, findings, badData };
}

// Frames of the sending machinery itself (this guard, the budget, its retries, main.ts's abort).
const MACHINERY = /\/src\/(bot\/notifications\/send-[\w-]+|main)\.ts$/;
const FRAME = /at (?:async )?(?:(.+?) \()?(?:file:\/\/)?(\/[^()]+?):(\d+):\d+\)?$/;

/**
 * "src/bot/commands/tasks/tasks.ts:83 (restartCommand)": who built what the guard had to cut —
 * the first frame of a stack outside node_modules and the sending machinery.
 */
export function builderOf(stack: string | undefined, root = process.cwd()): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const frame = FRAME.exec(line.trim());
    const file = frame?.[2];
    if (!frame || !file || file.includes('/node_modules/') || MACHINERY.test(file)) continue;
    const shown = file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
    return `${shown}:${frame[3]}${frame[1] ? ` (${frame[1]})` : ''}`;
  }
  return undefined;
}

/** Thrown in strict mode (tests) for callback data Telegram would refuse: a bug, found loudly. */
export class CallbackDataError extends Error {
  override name = 'CallbackDataError';
}

export type SendGuardOptions = {
  log: Logger;
  /** Bad callback data throws (tests) instead of being logged and its button left out (production). */
  strict?: boolean;
  /** Told of every call the guard changed (tests, metrics). */
  onCut?: (report: GuardReport) => void;
};

export type SendGuard = (method: string, payload: Payload) => Payload;

/** The guard of one bot: cuts what is over a limit, logs which builder sent it. */
export function createSendGuard({ log, strict = false, onCut }: SendGuardOptions): SendGuard {
  const guardLog = log.child({ component: 'send-guard' });
  return (method, payload) => {
    const guarded = guardPayload(method, payload);
    if (guarded.payload === payload) return payload;
    // Read while the caller is still on the stack: the guard runs before the budget's first await.
    const depth = Error.stackTraceLimit;
    Error.stackTraceLimit = 40;
    const builder = builderOf(new Error().stack);
    Error.stackTraceLimit = depth;
    const { findings, badData } = guarded;
    onCut?.({ method, chatId: payload.chat_id, findings, badData, builder });
    if (badData.length > 0) {
      const message = `callback data Telegram refuses (1–64 bytes): ${JSON.stringify(badData)} from ${builder ?? 'an unknown builder'}`;
      if (strict) throw new CallbackDataError(message);
      guardLog.error({ method, builder, badData }, message);
    }
    if (findings.length > 0) {
      guardLog.warn(
        { method, chatId: payload.chat_id, builder, findings },
        "a message over Telegram's limits was cut by the send guard: its builder should fold it",
      );
    }
    return guarded.payload;
  };
}
