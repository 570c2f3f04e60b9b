// English texts of the per-chat settings (/tz, /quiet, /digest), the daily summary and /stats.
import type { FailureCode } from '../../warmup/failure-reasons.ts';
import { type PluralForms, plural } from './intl.ts';

const n = (count: number, forms: PluralForms) => plural('en', count, forms);
const sessionsN = (count: number) => n(count, { one: '# session', other: '# sessions' });

export const chatEn = {
  help: {
    viewer: ['/stats [days] — a chart of finished sessions per day (14 days unless told, at most 90)'],
    operator: [
      '/tz [zone|reset] — this chat’s timezone, e.g. /tz Europe/Moscow',
      '/quiet [23:00-08:00 [urgent=off]|off] — quiet hours: finished tasks wait for the morning',
      '/digest [09:00|off] — a daily summary with a chart at that time',
    ],
  },
  menu: { stats: 'A chart of the last days' },
  tz: {
    current: (zone: string, own: boolean) =>
      own
        ? `This chat’s timezone: ${zone}. /tz reset goes back to the team’s.`
        : `This chat uses the team’s timezone: ${zone}. Change it with /tz Europe/Moscow.`,
    set: (zone: string) => `Times in this chat are now shown in ${zone}.`,
    reset: (zone: string) => `This chat uses the team’s timezone again: ${zone}.`,
    bad: (text: string) =>
      `"${text}" is not a timezone I know. Use a name such as Europe/Moscow or Asia/Tbilisi, or /tz reset.`,
  },
  quiet: {
    none: 'No quiet hours in this chat. Set them with /quiet 23:00-08:00.',
    current: (from: string, until: string, urgent: boolean) =>
      `Quiet hours: ${from}–${until} (${urgent ? 'failures that pause an account still come at once' : 'everything waits'}). /quiet off ends them.`,
    set: (from: string, until: string, urgent: boolean, zone: string) =>
      `Quiet hours set: ${from}–${until} (${zone}). Finished tasks come in one message at ${until}${urgent ? '; failures that pause an account come at once' : ''}.`,
    off: 'Quiet hours off: notices come at once again.',
    bad: 'Usage: /quiet 23:00-08:00 [urgent=off], or /quiet off. Times are HH:MM, 00:00 to 23:59, and differ.',
  },
  digest: {
    none: 'No daily summary in this chat. Ask for one with /digest 09:00.',
    current: (at: string, zone: string) => `Daily summary at ${at} (${zone}). /digest off stops it.`,
    set: (at: string, zone: string) => `A daily summary will come at ${at} (${zone}).`,
    off: 'Daily summary off.',
    bad: 'Usage: /digest 09:00 (a time HH:MM), or /digest off.',
  },
  stats: {
    bad: 'Usage: /stats [days] — a whole number of days from 1 to 90, e.g. /stats 30.',
    caption: (days: number, done: number, failed: number) =>
      `Last ${n(days, { one: 'day', other: '# days' })}: ${sessionsN(done)} done, ${failed} failed.`,
    noChart: '(The chart could not be drawn this time.)',
  },
  summary: {
    title: (date: string) => `<b>Daily summary — ${date}</b>`,
    recent: (done: number, failed: number) => `Last 24 h: ${sessionsN(done)} done, ${failed} failed.`,
    period: (days: number, done: number, failed: number) =>
      `Last ${days} days: ${sessionsN(done)} done, ${failed} failed.`,
    reasonLine: (reason: string, count: number) => `  • ${reason}: ${count}`,
    attention: 'Needs attention:',
    quarantined: (account: string, reason: string) =>
      `• @${account} — paused (${reason}). Look at it, then Resume; /check ${account} tests it.`,
    unhealthy: (account: string, health: string) => `• @${account} — ${health}. /check ${account} tests it.`,
    programmes: 'Programmes:',
    programme: (name: string, day: number, total: number, status: string) =>
      `• ${name} — day ${day}/${total}, ${status}`,
    programmeSkipped: (skips: string) => `    skipped in the last 24 h: ${skips}`,
    programmeStatus: {
      active: 'running',
      paused: 'paused',
      notStarted: 'starts later',
      finished: 'done',
    },
    allWell: 'All accounts are fine.',
  },
  chart: {
    title: (days: number) => `Sessions per day, last ${days} days`,
    completed: 'done',
  },
  /** A failure reason in a word or two (chart legend, counts). */
  reasons: {
    logged_out: 'logged out',
    captcha: 'captcha',
    blocked: 'blocked',
    proxy_error: 'proxy',
    navigation_timeout: 'site too slow',
    selector_missing: 'page changed',
    browser_crashed: 'browser crash',
    worker_lost: 'worker lost',
    expired: 'waited too long',
    cancelled: 'cancelled',
    session_unreadable: 'saved login unreadable',
    bad_settings: 'bad settings',
    internal_error: 'internal error',
    interrupted: 'interrupted',
    job_lost: 'job lost',
    other: 'other',
  } satisfies Record<FailureCode | 'other', string>,
};
