// What every inline button obeys: Telegram carries 1–64 bytes of callback_data and a custom client
// can send anything, so each feature's codec parses strictly within these limits; and the rows
// buttons are laid out in.

/** The longest callback data Telegram carries; anything longer is not ours. */
export const MAX_CALLBACK_DATA = 64;

/** The largest id a row can have (Postgres integer): a bigger one in callback data is forged. */
export const MAX_ID = 2_147_483_647;

/** Buttons in rows of `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}
