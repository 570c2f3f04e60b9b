// An account's username as the fleet files write it: the rule /account_add applies ('alice' or
// '@alice', 2–24 of A–Z a–z 0–9 _ .). Pure. Names are compared case-insensitively everywhere.

const USERNAME_RE = /^@?([A-Za-z0-9_.]{2,24})$/;

/** 'alice' or '@alice' → 'alice'; undefined when it cannot be a username. */
export function parseUsername(text: string): string | undefined {
  return USERNAME_RE.exec(text.trim())?.[1];
}
