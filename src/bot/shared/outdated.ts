// An update that waited in the inbox beyond BOT_UPDATE_MAX_AGE: the intake hands it to the bot
// marked, and the bot answers it (middlewares/outdated.ts) instead of running it. The mark rides on
// the update object itself, which telegraf makes `ctx.update`; a symbol never reaches the wire.

const OUTDATED = Symbol('outdated');

export type Outdated = {
  /** How long after it was sent it would have run; for a tap, at least this. */
  ageMs: number;
  limitMs: number;
};

/** A copy of the update carrying the mark. */
export function markOutdated<U extends object>(update: U, outdated: Outdated): U {
  return { ...update, [OUTDATED]: outdated };
}

export function outdatedOf(update: object): Outdated | undefined {
  return (update as { [OUTDATED]?: Outdated })[OUTDATED];
}
