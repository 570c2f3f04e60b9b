// The fleet's keys of /account_set — proxy=<url|host:port:user:pass|none> and tags=a,b|none — taken
// out of the words before the identity keys are read, and checked before anything is written. Pure.
// A proxy's reason is named, never its text (it may hold a password).
import { NO_PROXY } from '../../../tasks/fleet/account-proxy.ts';
import { parseProxy } from '../../../tasks/fleet/proxy.ts';
import { parseTags } from '../../../tasks/fleet/tags.ts';
import type { Texts } from '../../i18n/index.ts';
import type { SettingError } from './settings.ts';

export type FleetPairs = { proxy?: string; tags?: string };

export function splitFleetPairs(
  words: readonly string[],
): { ok: true; fleet: FleetPairs; rest: string[] } | { ok: false; error: SettingError } {
  const fleet: FleetPairs = {};
  const rest: string[] = [];
  for (const word of words) {
    const key = /^(proxy|tags)=/i.exec(word)?.[1]?.toLowerCase() as keyof FleetPairs | undefined;
    if (!key) rest.push(word);
    else if (fleet[key] !== undefined) return { ok: false, error: { kind: 'repeated', key } };
    else fleet[key] = word.slice(key.length + 1);
  }
  return { ok: true, fleet, rest };
}

/** The sentence for the first bad value, or undefined when both are fine. */
export function checkFleetPairs(t: Texts, fleet: FleetPairs): string | undefined {
  if (fleet.proxy !== undefined && fleet.proxy.trim().toLowerCase() !== NO_PROXY) {
    const proxy = parseProxy(fleet.proxy);
    if (!proxy.ok) return t.fleet.set.badProxy(t.fleet.proxyReasons[proxy.reason]);
  }
  if (fleet.tags !== undefined && (fleet.tags.trim() === '' || !parseTags(fleet.tags).ok))
    return t.fleet.set.badTags;
  return undefined;
}
