// The account page's buttons: Check (`ak:<id>`), Resume (`qr:<id>`, only while paused; handled by
// the quarantine feature) and Restart last (`al:<id>`). Parsed strictly: a custom client can send
// anything.
import { Markup } from 'telegraf';
import type { Texts } from '../../i18n/index.ts';
import { MAX_ID } from '../../shared/buttons.ts';
import { encodeResume } from '../quarantine/notice.ts';

export type AccountAction = 'check' | 'restartLast';

const CODES = { ak: 'check', al: 'restartLast' } as const satisfies Record<string, AccountAction>;
const RE = /^(ak|al):([1-9]\d{0,9})$/;

export function decodeAccountCallback(
  data: string | undefined,
): { action: AccountAction; accountId: number } | undefined {
  const match = data ? RE.exec(data) : null;
  if (!match) return undefined;
  const accountId = Number(match[2]);
  return accountId <= MAX_ID ? { action: CODES[match[1] as keyof typeof CODES], accountId } : undefined;
}

export function isAccountCallbackData(data: string | undefined): boolean {
  return data?.startsWith('ak:') === true || data?.startsWith('al:') === true;
}

export function accountKeyboard(t: Texts, account: { id: number; quarantined: boolean; hasRun: boolean }) {
  const b = t.fleet.account.buttons;
  const row = [Markup.button.callback(b.check, `ak:${account.id}`)];
  if (account.quarantined) row.push(Markup.button.callback(b.resume, encodeResume(account.id)));
  if (account.hasRun) row.push(Markup.button.callback(b.restartLast, `al:${account.id}`));
  return Markup.inlineKeyboard([row]);
}
