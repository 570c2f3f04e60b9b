// Accounts chosen in a command — `accounts=tag:spring,tag:us,alice`, `all`, `platform:x` — read and
// resolved against the fleet (tasks/fleet/selection.ts) for /new, /plan and /retry_failed; a token
// that cannot be one, or names the fleet does not have, become one sentence. Names are escaped.
import type { Executor } from '../../db/client.ts';
import {
  resolveSelection,
  type SelectionOptions,
  type SelectionProblem,
} from '../../tasks/fleet/selection.ts';
import type { Texts } from '../i18n/index.ts';
import { escapeHtml, joinWithin } from '../shared/text-budget.ts';
import type { BotDeps } from './context.ts';
import { platformsOf } from './platform-input.ts';
import { shownInput } from './quoted-input.ts';

export type Unknown = { names: readonly string[]; tags: readonly string[]; platforms: readonly string[] };

/** How groups are read here: the deployment's platforms, the first one every account without one has. */
export function selectionOptions(deps: Pick<BotDeps, 'platforms'>): SelectionOptions {
  const platforms = platformsOf(deps);
  return { defaultPlatform: platforms.defaultName, knownPlatforms: platforms.names };
}

/** One sentence naming what the fleet does not have: accounts, tags, platforms. */
export function describeUnknown(t: Texts, unknown: Unknown): string {
  const s = t.fleet.selection;
  // Whole names within the budget, the rest counted: never a name cut in two.
  const list = (items: readonly string[]) => joinWithin(items.map(escapeHtml), 200);
  const parts = [
    ...(unknown.names.length > 0 ? [s.names(list(unknown.names))] : []),
    ...(unknown.tags.length > 0 ? [s.tags(list(unknown.tags))] : []),
    ...(unknown.platforms.length > 0 ? [s.platforms(list(unknown.platforms))] : []),
  ];
  return s.unknown(parts.join('; '));
}

export function describeSelectionProblem(t: Texts, problem: SelectionProblem): string {
  if (problem.code === 'empty') return t.fleet.selection.empty;
  return t.fleet.selection.badToken(shownInput(problem.token) ?? t.hiddenLink);
}

export type Chosen = { ok: true; accountIds: number[]; leftOut: number } | { ok: false; text: string };

/**
 * The accounts the tokens name, or the sentence to answer with. Groups take the accounts that can be
 * warmed now unless `includeUnwarmable`; none at all is `noneText`.
 */
export async function chooseAccounts(
  db: Executor,
  deps: Pick<BotDeps, 'platforms'>,
  t: Texts,
  tokens: readonly string[],
  options: { includeUnwarmable?: boolean; noneText: string },
): Promise<Chosen> {
  const resolved = await resolveSelection(db, tokens, {
    ...selectionOptions(deps),
    includeUnwarmable: options.includeUnwarmable ?? false,
  });
  if (!resolved.ok) return { ok: false, text: describeSelectionProblem(t, resolved.problem) };
  const unknown = {
    names: resolved.unknownNames,
    tags: resolved.unknownTags,
    platforms: resolved.unknownPlatforms,
  };
  if (unknown.names.length + unknown.tags.length + unknown.platforms.length > 0)
    return { ok: false, text: describeUnknown(t, unknown) };
  if (resolved.accountIds.length === 0) return { ok: false, text: options.noneText };
  return { ok: true, accountIds: resolved.accountIds, leftOut: resolved.leftOut };
}
