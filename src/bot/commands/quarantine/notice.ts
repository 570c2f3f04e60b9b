// The quarantine in a failure notice: one line per account the run end paused (told once: the
// event carries only the runs whose end did it), and a Resume button per account, `qr:<accountId>`
// — the one Resume button, which the daily digest's attention list shows too; handled by quarantine.ts.
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import type { TaskEvent } from '../../../tasks/events.ts';
import type { Texts } from '../../i18n/index.ts';
import { MAX_ID } from '../../shared/buttons.ts';
import { escapeHtml, truncate } from '../../shared/text-budget.ts';

const ACCOUNT_MAX = 64;
const RESUME_RE = /^qr:([1-9]\d{0,9})$/;
// A captcha wave can pause many accounts of one task at once: the notice (a photo caption, at most
// 1024 characters) names a few and counts the rest; the buttons stay a short column.
const LINES_MAX = 3;
const BUTTONS_MAX = 6;

export function encodeResume(accountId: number): string {
  return `qr:${accountId}`;
}

/** The account id of a Resume tap; undefined for anything else (a forged id included). */
export function decodeResume(data: string | undefined): number | undefined {
  const match = data ? RESUME_RE.exec(data) : null;
  const id = match ? Number(match[1]) : Number.NaN;
  return id <= MAX_ID ? id : undefined;
}

/** Why the account is paused and what to do, in the reader's words. */
export function quarantineWhy(t: Texts, reason: string, account: string): string {
  const why = t.fleet.quarantine.why;
  if (reason === 'captcha' || reason === 'blocked') return why[reason];
  if (reason === 'logged_out') return why.logged_out(account);
  return why.other;
}

type Quarantined = NonNullable<TaskEvent['quarantined']>;

export function quarantineLines(t: Texts, quarantined: Quarantined | undefined): string[] {
  const all = quarantined ?? [];
  const lines = all.slice(0, LINES_MAX).map((q) => {
    const account = escapeHtml(truncate(q.account, ACCOUNT_MAX));
    return t.fleet.quarantine.notice(account, quarantineWhy(t, q.reason, account));
  });
  if (all.length > LINES_MAX) lines.push(t.fleet.quarantine.more(all.length - LINES_MAX));
  return lines;
}

/** The Resume button of one paused account ("▶️ Resume alice", `qr:<id>`). */
export function resumeButton(t: Texts, accountId: number, username: string): InlineKeyboardButton {
  return Markup.button.callback(
    t.fleet.quarantine.resumeButton(truncate(username, 24)),
    encodeResume(accountId),
  );
}

export function resumeButtons(t: Texts, quarantined: Quarantined | undefined): InlineKeyboardButton[][] {
  return (quarantined ?? []).slice(0, BUTTONS_MAX).map((q) => [resumeButton(t, q.accountId, q.account)]);
}
