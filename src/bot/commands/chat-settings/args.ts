// The arguments of /tz, /quiet, /digest and /stats, parsed into what to do or why not.
import { canonicalTimeZone, isTimeZone, parseClock } from '../../../tasks/local-time.ts';

export type TzArgs =
  | { kind: 'show' }
  | { kind: 'reset' }
  | { kind: 'set'; zone: string }
  | { kind: 'bad'; text: string };

export function parseTzArgs(args: readonly string[]): TzArgs {
  if (args.length === 0) return { kind: 'show' };
  const [first] = args;
  if (args.length > 1 || first === undefined) return { kind: 'bad', text: args.join(' ') };
  if (first.toLowerCase() === 'reset') return { kind: 'reset' };
  return isTimeZone(first) ? { kind: 'set', zone: canonicalTimeZone(first) } : { kind: 'bad', text: first };
}

export type QuietArgs =
  | { kind: 'show' }
  | { kind: 'off' }
  | { kind: 'set'; from: number; until: number; urgent: boolean }
  | { kind: 'bad' };

export function parseQuietArgs(args: readonly string[]): QuietArgs {
  if (args.length === 0) return { kind: 'show' };
  if (args.length === 1 && args[0]!.toLowerCase() === 'off') return { kind: 'off' };
  if (args.length > 2) return { kind: 'bad' };
  const m = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(args[0]!);
  const from = m ? parseClock(m[1]!) : undefined;
  const until = m ? parseClock(m[2]!) : undefined;
  if (from === undefined || until === undefined || from === until) return { kind: 'bad' };
  let urgent = true;
  if (args[1] !== undefined) {
    const u = /^urgent=(on|off|yes|no)$/i.exec(args[1]);
    if (!u) return { kind: 'bad' };
    urgent = ['on', 'yes'].includes(u[1]!.toLowerCase());
  }
  return { kind: 'set', from, until, urgent };
}

export type DigestArgs = { kind: 'show' } | { kind: 'off' } | { kind: 'set'; at: number } | { kind: 'bad' };

export function parseDigestArgs(args: readonly string[]): DigestArgs {
  if (args.length === 0) return { kind: 'show' };
  if (args.length > 1) return { kind: 'bad' };
  if (args[0]!.toLowerCase() === 'off') return { kind: 'off' };
  const at = parseClock(args[0]!);
  return at === undefined ? { kind: 'bad' } : { kind: 'set', at };
}

export const STATS_DEFAULT_DAYS = 14;
export const STATS_MAX_DAYS = 90;

/** /stats [days]: the number of days, or undefined when it is not a whole number from 1 to 90. */
export function parseStatsDays(args: readonly string[]): number | undefined {
  if (args.length === 0) return STATS_DEFAULT_DAYS;
  if (args.length > 1 || !/^\d{1,3}$/.test(args[0]!)) return undefined;
  const days = Number(args[0]);
  return days >= 1 && days <= STATS_MAX_DAYS ? days : undefined;
}
