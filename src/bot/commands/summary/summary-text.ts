// The summary's words, from the same SummaryData the chart is drawn from: the last 24 h and the
// period by reason, accounts that need a person (Resume buttons for paused ones), programmes.
import { Markup } from 'telegraf';
import type { Texts } from '../../i18n/index.ts';
import { dateTime } from '../../i18n/intl.ts';
import { escapeHtml, fitLines, MAX_TEXT } from '../../shared/text-budget.ts';
import { formatHealth } from '../../shared/wording.ts';
import { formatSkips } from '../programmes/views.ts';
import { resumeButton } from '../quarantine/notice.ts';
import { type Counts, reasonsByCount, type SummaryData } from './summary-data.ts';

export type AttentionAccount = {
  id: number;
  username: string;
  health: string;
  quarantinedAt: Date | null;
  quarantineReason: string | null;
};
export type ProgrammeProgress = {
  name: string;
  status: string;
  rampLength: number;
  /** programmeDayAt of the programme now: 0 or less before it starts, past rampLength once done. */
  day: number;
  /** Its slots skipped in the last 24 h, by skip reason (missed, quarantined, paused, …). */
  skipped: Record<string, number>;
};

export type SummaryInput = {
  data: SummaryData;
  attention: AttentionAccount[];
  programmes: ProgrammeProgress[];
  now: Date;
};

// Telegram shows at most so many buttons comfortably; the rest are named in the text.
const MAX_RESUME_BUTTONS = 8;

const reasonWord = (t: Texts, reason: string) =>
  (t.chat.reasons as Record<string, string>)[reason] ?? t.chat.reasons.other;

/** "  • captcha: 3" lines, most frequent first. */
export function reasonLines(t: Texts, counts: Counts): string[] {
  return reasonsByCount(counts.byReason).map(([r, n]) => t.chat.summary.reasonLine(reasonWord(t, r), n));
}

/** "By platform: tiktok 5 ok, 1 failed; instagram 2 ok, 0 failed" — only when there are several. */
export function platformLines(t: Texts, byPlatform: SummaryData['recentByPlatform']): string[] {
  const entries = Object.entries(byPlatform).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length < 2) return [];
  const parts = entries.map(([name, c]) => t.platforms.summaryPart(escapeHtml(name), c.completed, c.failed));
  return [t.platforms.summary(parts.join('; '))];
}

function programmeLine(t: Texts, p: ProgrammeProgress): string {
  const s = t.chat.summary;
  const { day } = p;
  const status =
    p.status === 'paused'
      ? s.programmeStatus.paused
      : day < 1
        ? s.programmeStatus.notStarted
        : day > p.rampLength
          ? s.programmeStatus.finished
          : s.programmeStatus.active;
  const line = s.programme(
    escapeHtml(p.name),
    Math.min(Math.max(day, 0), p.rampLength),
    p.rampLength,
    status,
  );
  const skips = formatSkips(t, p.skipped);
  return skips ? `${line}\n${s.programmeSkipped(skips)}` : line;
}

/** The daily summary's text and its buttons. */
export function formatSummary(t: Texts, input: SummaryInput) {
  const s = t.chat.summary;
  const { data } = input;
  const head = [
    s.title(dateTime(t.locale, input.now)),
    '',
    s.recent(data.recent.completed, data.recent.failed),
  ];
  head.push(...reasonLines(t, data.recent));
  head.push(...platformLines(t, data.recentByPlatform));
  head.push(s.period(data.days.length, data.period.completed, data.period.failed));
  head.push(...reasonLines(t, data.period));
  const body: string[] = [''];
  if (input.attention.length === 0) body.push(s.allWell);
  else {
    body.push(s.attention);
    for (const a of input.attention) {
      const name = escapeHtml(a.username);
      body.push(
        a.quarantinedAt
          ? s.quarantined(name, reasonWord(t, a.quarantineReason ?? 'other'))
          : s.unhealthy(name, formatHealth(t, a.health)),
      );
    }
  }
  if (input.programmes.length > 0)
    body.push('', s.programmes, ...input.programmes.map((p) => programmeLine(t, p)));
  const text = fitLines({ head, body, max: MAX_TEXT, more: t.digest.more });
  const paused = input.attention.filter((a) => a.quarantinedAt).slice(0, MAX_RESUME_BUTTONS);
  const keyboard =
    paused.length > 0
      ? Markup.inlineKeyboard(paused.map((a) => [resumeButton(t, a.id, a.username)]))
      : undefined;
  return { text, keyboard };
}

/** The /stats caption: the period's totals, by reason. */
export function formatStatsCaption(t: Texts, data: SummaryData): string {
  return [
    t.chat.stats.caption(data.days.length, data.period.completed, data.period.failed),
    ...reasonLines(t, data.period),
    ...platformLines(t, data.periodByPlatform),
  ].join('\n');
}
