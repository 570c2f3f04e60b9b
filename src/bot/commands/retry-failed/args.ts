// /retry_failed's input and its confirmation's callback data. The confirmation carries the filter
// itself — reason and the window's two ends in Unix seconds — so Confirm re-derives exactly the set
// that was counted; anything a custom client could forge is checked the same way as typed input.
// An `accounts=` filter does not fit in a button: its accounts wait in memory under a short key.
import { FAILURE_CODES, type FailureCode, isFailureCode } from '../../../warmup/failure-reasons.ts';

export const DEFAULT_SINCE_S = 24 * 3600;
export const MAX_SINCE_S = 30 * 24 * 3600;
/** How far in the future a button's window may end (clocks of two processes disagree a little). */
const SKEW_S = 300;

export type RetryArgs = {
  reason: FailureCode | null;
  sinceSeconds: number;
  /** Selection tokens of `accounts=` (fleet/selection.ts), as typed; undefined: every account. */
  accounts?: string[];
};
export type RetryArgsError = { problem: 'usage' } | { problem: 'reason' | 'since'; value: string };

const SINCE_RE = /^since=([1-9]\d{0,3})([hd])$/i;

export function parseRetryArgs(args: readonly string[]): RetryArgs | RetryArgsError {
  let reason: FailureCode | null = null;
  let sinceSeconds: number | undefined;
  let accounts: string[] | undefined;
  if (args.length > 3) return { problem: 'usage' };
  for (const arg of args) {
    if (arg.toLowerCase().startsWith('accounts=')) {
      if (accounts !== undefined) return { problem: 'usage' };
      accounts = arg.slice('accounts='.length).split(',');
    } else if (arg.toLowerCase().startsWith('since=')) {
      const match = SINCE_RE.exec(arg);
      const seconds = match ? Number(match[1]) * (match[2]!.toLowerCase() === 'd' ? 86_400 : 3600) : 0;
      if (sinceSeconds !== undefined || !match || seconds > MAX_SINCE_S)
        return { problem: 'since', value: arg };
      sinceSeconds = seconds;
    } else {
      const code = arg.toLowerCase();
      if (reason !== null || !isFailureCode(code)) return { problem: 'reason', value: arg };
      reason = code;
    }
  }
  return { reason, sinceSeconds: sinceSeconds ?? DEFAULT_SINCE_S, ...(accounts ? { accounts } : {}) };
}

export type RetryCallback =
  | { action: 'confirm'; reason: FailureCode | null; since: number; until: number; accountsKey?: string }
  | { action: 'cancel' };

const CONFIRM_RE = /^rt:([a-z_]{1,24}|\*):(\d{1,11}):(\d{1,11})(?::([a-z0-9]{1,12}))?$/;

export function isRetryCallbackData(data: string | undefined): boolean {
  return data?.startsWith('rt:') === true;
}

/** `accountsKey`: where the accounts of an `accounts=` filter wait (the confirmation's store). */
export function encodeRetryConfirm(
  reason: FailureCode | null,
  since: number,
  until: number,
  accountsKey?: string,
): string {
  return `rt:${reason ?? '*'}:${since}:${until}${accountsKey ? `:${accountsKey}` : ''}`;
}

export const RETRY_CANCEL = 'rt:x';

/** The confirmation's filter, or undefined when it could not have come from our own button. */
export function decodeRetryCallback(data: string | undefined, nowSeconds: number): RetryCallback | undefined {
  if (data === RETRY_CANCEL) return { action: 'cancel' };
  const match = data && data.length <= 64 ? CONFIRM_RE.exec(data) : null;
  if (!match) return undefined;
  const reason = match[1] === '*' ? null : match[1]!;
  if (reason !== null && !isFailureCode(reason)) return undefined;
  const since = Number(match[2]);
  const until = Number(match[3]);
  if (until <= since || until - since > MAX_SINCE_S + 1 || until > nowSeconds + SKEW_S) return undefined;
  return { action: 'confirm', reason, since, until, ...(match[4] ? { accountsKey: match[4] } : {}) };
}

export { FAILURE_CODES };
