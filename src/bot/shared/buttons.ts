// What every inline button obeys: Telegram carries 1–64 bytes of callback_data and a custom client
// can send anything, so each feature's codec parses strictly within these limits; the rows buttons
// are laid out in; and the keyboard's own limits, which fitKeyboard (the send guard's) keeps.

/** The longest callback data Telegram carries; anything longer is not ours. */
export const MAX_CALLBACK_DATA = 64;

/** The largest id a row can have (Postgres integer): a bigger one in callback data is forged. */
export const MAX_ID = 2_147_483_647;

// Telegram's Bot API documents no keyboard limits; these are what its servers are known to refuse
// ("reply markup is too long"): more than 100 inline buttons, more than 8 in a row, and a markup
// whose JSON passes about 10 kB.
export const MAX_BUTTONS = 100;
export const MAX_ROW_BUTTONS = 8;
export const MAX_MARKUP_BYTES = 10_000;

/** Buttons in rows of `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}

/** Whether Telegram carries this as callback_data: a string of 1–64 bytes (UTF-8). */
export function isCallbackData(data: unknown): data is string {
  return typeof data === 'string' && data !== '' && Buffer.byteLength(data) <= MAX_CALLBACK_DATA;
}

export type FittedKeyboard<B> = {
  rows: B[][];
  /** Buttons left out for the count or the size (the last ones). */
  dropped: number;
  /** Rows wider than MAX_ROW_BUTTONS, split. */
  wrapped: number;
  /** Callback data Telegram would refuse; their buttons are left out. */
  badData: string[];
};

/**
 * An inline keyboard within Telegram's limits: wide rows split, buttons with callback data
 * Telegram refuses left out, then the first MAX_BUTTONS kept while the markup stays under its size.
 */
export function fitKeyboard<B extends object>(rows: readonly (readonly B[])[]): FittedKeyboard<B> {
  const badData: string[] = [];
  const kept: B[][] = [];
  let count = 0;
  let dropped = 0;
  let wrapped = 0;
  for (const row of rows) {
    const good = row.filter((b) => {
      if (!('callback_data' in b) || isCallbackData(b.callback_data)) return true;
      badData.push(String(b.callback_data));
      return false;
    });
    if (good.length > MAX_ROW_BUTTONS) wrapped += 1;
    for (const part of chunk(good, MAX_ROW_BUTTONS)) {
      const taken = part.slice(0, Math.max(0, MAX_BUTTONS - count));
      dropped += part.length - taken.length;
      count += taken.length;
      if (taken.length > 0) kept.push(taken);
    }
  }
  while (kept.length > 0 && Buffer.byteLength(JSON.stringify({ inline_keyboard: kept })) > MAX_MARKUP_BYTES) {
    const last = kept.at(-1)!;
    last.pop();
    dropped += 1;
    if (last.length === 0) kept.pop();
  }
  return { rows: kept, dropped, wrapped, badData };
}
