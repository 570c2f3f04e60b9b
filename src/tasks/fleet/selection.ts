// Choosing accounts wherever accounts are chosen (`accounts=tag:spring,tag:us,alice`): `all`,
// `tag:<tag>`, `platform:<name>` and usernames, united. Groups take only the accounts that can be
// warmed now (as `accounts=all` always did) unless asked otherwise; a named account is taken as it
// is. Removed accounts are never chosen.
import type { Executor } from '../../db/client.ts';
import { findFleetAccounts, findFleetGroupMembers, findTagsInUse } from '../../db/fleet-repo.ts';
import { UNWARMABLE_HEALTH } from '../../warmup/failure-reasons.ts';
import { normaliseTag } from './tags.ts';

export type Selection = { all: boolean; names: string[]; tags: string[]; platforms: string[] };
export type SelectionProblem = { code: 'badName' | 'badTag' | 'badPlatform' | 'empty'; token: string };
export type SelectionParse = { ok: true; selection: Selection } | { ok: false; problem: SelectionProblem };

const PLATFORM_RE = /^[a-z0-9_-]{1,32}$/;
// A name refers to an existing account: as a username, but rows made otherwise may be shorter.
const NAME_RE = /^@?([A-Za-z0-9_.]{1,24})$/;

/** Tokens as typed (`all`, `tag:x`, `platform:x`, `@name`) → lower-cased, each once. Pure. */
export function parseSelection(tokens: readonly string[]): SelectionParse {
  const selection: Selection = { all: false, names: [], tags: [], platforms: [] };
  const add = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  for (const raw of tokens) {
    const token = raw.trim();
    if (token === '') continue;
    const lower = token.toLowerCase();
    if (lower === 'all') selection.all = true;
    else if (lower.startsWith('tag:')) {
      const tag = normaliseTag(token.slice(4));
      if (!tag) return { ok: false, problem: { code: 'badTag', token } };
      add(selection.tags, tag);
    } else if (lower.startsWith('platform:')) {
      const platform = lower.slice(9).trim();
      if (!PLATFORM_RE.test(platform)) return { ok: false, problem: { code: 'badPlatform', token } };
      add(selection.platforms, platform);
    } else {
      const name = NAME_RE.exec(token)?.[1]?.toLowerCase();
      if (!name) return { ok: false, problem: { code: 'badName', token } };
      add(selection.names, name);
    }
  }
  const empty =
    !selection.all && [selection.names, selection.tags, selection.platforms].every((l) => l.length === 0);
  return empty ? { ok: false, problem: { code: 'empty', token: '' } } : { ok: true, selection };
}

/** A selection written back as tokens (`all`, `tag:x`, `platform:x`, names), each once. Pure. */
export function selectionTokens(selection: Selection): string[] {
  return [
    ...(selection.all ? ['all'] : []),
    ...selection.tags.map((t) => `tag:${t}`),
    ...selection.platforms.map((p) => `platform:${p}`),
    ...selection.names,
  ];
}

export type SelectionOptions = {
  /** Groups also take accounts that cannot be warmed now (logged out, captcha, blocked). */
  includeUnwarmable?: boolean;
  /** The platform of an account that names none (WARMUP_SITE_PROFILE's). */
  defaultPlatform?: string;
  /** When given, a `platform:` not in it is reported unknown. */
  knownPlatforms?: readonly string[];
};

export type ResolvedSelection = {
  /** By username. */
  accountIds: number[];
  unknownNames: string[];
  /** Tags no live account carries. */
  unknownTags: string[];
  unknownPlatforms: string[];
  /** Accounts of a group left out because they cannot be warmed now. */
  leftOut: number;
};

export async function resolveSelection(
  db: Executor,
  tokens: readonly string[] | Selection,
  options: SelectionOptions = {},
): Promise<({ ok: true } & ResolvedSelection) | { ok: false; problem: SelectionProblem }> {
  let selection: Selection;
  if (Array.isArray(tokens)) {
    const parsed = parseSelection(tokens);
    if (!parsed.ok) return parsed;
    selection = parsed.selection;
  } else selection = tokens as Selection;
  const named = await findFleetAccounts(db, selection.names);
  const members = await findFleetGroupMembers(db, { ...selection, defaultPlatform: options.defaultPlatform });
  const unwarmable = new Set<string>(options.includeUnwarmable ? [] : UNWARMABLE_HEALTH);
  const chosen = new Map<number, string>(named.map((a) => [a.id, a.username]));
  let leftOut = 0;
  for (const m of members) {
    if (chosen.has(m.id)) continue;
    if (unwarmable.has(m.health)) leftOut++;
    else chosen.set(m.id, m.username);
  }
  const found = new Set(named.map((a) => a.username.toLowerCase()));
  const inUse = new Set(await findTagsInUse(db, selection.tags));
  const known = options.knownPlatforms?.map((p) => p.toLowerCase());
  return {
    ok: true,
    accountIds: [...chosen]
      .sort(([, a], [, b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
      .map(([id]) => id),
    unknownNames: selection.names.filter((n) => !found.has(n)),
    unknownTags: selection.tags.filter((t) => !inUse.has(t)),
    unknownPlatforms: known ? selection.platforms.filter((p) => !known.includes(p)) : [],
    leftOut,
  };
}
