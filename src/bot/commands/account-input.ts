// Account names typed in the bot. A new account's name follows the fleet's one rule
// (tasks/fleet/username.ts); a name that refers to an existing account may be shorter (rows made
// otherwise). Pure.
export { parseUsername } from '../../tasks/fleet/username.ts';

const ACCOUNT_REF_RE = /^@?([A-Za-z0-9_.]{1,24})$/;

/** A name that may refer to an existing account: 'alice' or '@alice', 1–24 of A–Z a–z 0–9 _ . */
export function parseAccountRef(text: string): string | undefined {
  return ACCOUNT_REF_RE.exec(text.trim())?.[1];
}
