// English texts of programmes (/plan, /plans). programmes.ru.ts has the same shape.
// Values that come from users (names, usernames, typed values) arrive already HTML-escaped.
import { type PluralForms, plural } from './intl.ts';

const n = (count: number, forms: PluralForms) => plural('en', count, forms);
const accountsN = (count: number) => n(count, { one: '# account', other: '# accounts' });
const daysN = (count: number) => n(count, { one: '# day', other: '# days' });
const sessionsN = (count: number) => n(count, { one: '# session', other: '# sessions' });

export const programmesEn = {
  usage: [
    'Usage: /plan name=&lt;name&gt; accounts=a,b,c window=10:00-13:00,18:00-22:30 [days=14] [ramp=standard] [tz=Europe/Moscow] [sessions=1-2] [gap=90m] [start=2026-12-02]',
    'Example: /plan name=spring accounts=alice,bob days=14 ramp=standard window=10:00-13:00,18:00-22:30 tz=Europe/Moscow sessions=1-2 gap=90m',
    'A ramp is standard (observer 3 days, light 4, moderate 3, active 4; scaled to days=), one preset, or written out: observer:3,light:4; ramp=platform: each account its platform’s own ramp (standard where a platform has none).',
    'accounts= takes names, tag:&lt;tag&gt;, platform:&lt;name&gt; or all (the healthy ones of a group).',
    '/plans — the programmes; /plan &lt;id&gt; — its calendar; /plan &lt;id&gt; add=carol (or add=tag:spring) or remove=carol — from the next day.',
  ].join('\n'),
  problems: {
    notKeyValue: (token: string) => `"${token}" is not key=value. Send /plan alone for an example.`,
    unknownKey: (key: string, known: string) => `"${key}" is not a programme setting. Known: ${known}.`,
    duplicateKey: (key: string) => `${key} is given twice; give each setting once.`,
    emptyValue: (key: string) => `${key}= has no value.`,
    missing: (key: string) => `Say ${key}=…; send /plan alone for an example.`,
    badName: 'name= needs 1–40 letters, digits, spaces, _ . or -, and not only digits.',
    badAccount: (value: string) =>
      `"${value}" is not an account name: letters, digits, _ and ., at most 24 characters.`,
    tooManyAccounts: (max: number) => `At most ${max} accounts in one programme.`,
    badDays: (value: string, max: number) => `days=${value}: write a whole number of days from 1 to ${max}.`,
    badRamp: (value: string, presets: string) =>
      `ramp=${value} is not a ramp: write standard, one preset, or preset:days pairs like observer:3,light:4 (presets: <code>${presets}</code>).`,
    rampDays: (rampDays: number, days: number) =>
      `The ramp lasts ${daysN(rampDays)} but days=${days}: drop days= or make them agree.`,
    badWindow: (value: string) =>
      `"${value}" is not a window: write from-until within one day, like 10:00-13:00 (until may be 24:00).`,
    overlap: (a: string, b: string) => `The windows ${a} and ${b} overlap: make them separate.`,
    badTz: (value: string) =>
      `"${value}" is not a timezone I know: write an IANA name such as Europe/Moscow or America/New_York.`,
    badSessions: (value: string, max: number) =>
      `sessions=${value} is not a range of sessions per day: write e.g. sessions=1-2 (from 1 up to ${max}, smaller first).`,
    badGap: (value: string) => `gap=${value} is not a gap: write minutes or hours, e.g. gap=90m or gap=2h.`,
    badStart: (value: string) => `start=${value} is not a date: write it as 2026-12-02.`,
    startPast: (value: string) => `start=${value} is in the past in the programme's timezone.`,
    tooTight: (sessions: number, gap: number) =>
      `${sessionsN(sessions)} at least ${gap} min apart do not fit in these windows: widen them, lower sessions= or gap=.`,
    nameTaken: (name: string) =>
      `A running or paused programme is already called «${name}»: pick another name.`,
  },
  created: (id: number, name: string) => `✅ Programme #${id} «${name}» created.`,
  summary: {
    days: (days: number, ramp: string, start: string) => `${daysN(days)} (${ramp}), from ${start}`,
    accounts: (count: number, names: string) => `${accountsN(count)}: ${names}`,
    windows: (windows: string, zone: string) => `Windows: ${windows} (${zone})`,
    sessions: (range: string, gap: number) =>
      `${range} sessions a day per account, at least ${gap} min apart`,
    first: (at: string) => `First session: ${at}`,
    noFirst: 'No session is drawn yet.',
  },
  list: {
    empty: 'No programmes yet. Create one with /plan (send /plan alone for an example).',
    header: 'Programmes:',
    line: (id: number, name: string, status: string, day: string) =>
      `<b>#${id} ${name}</b> — ${status}, ${day}`,
    health: (total: number, healthy: number, quarantined: number) =>
      quarantined > 0
        ? `${accountsN(total)}: ${healthy} healthy, ${quarantined} in quarantine`
        : `${accountsN(total)}, all healthy`,
    next: (at: string) => `next session: ${at}`,
    noNext: 'no session planned',
  },
  day: {
    of: (day: number, total: number) => `day ${day}/${total}`,
    startsOn: (date: string) => `starts ${date}`,
    over: (total: number) => `${daysN(total)} done`,
  },
  status: { active: 'running', paused: 'paused', stopped: 'stopped', finished: 'finished' } as Record<
    string,
    string
  >,
  details: {
    header: (id: number, name: string, status: string, day: string) =>
      `<b>Programme #${id} «${name}»</b> — ${status}, ${day}`,
    upcoming: 'Next days:',
    upcomingLine: (day: number, date: string, preset: string, planned: number) =>
      `Day ${day} (${date}), ${preset}: ${sessionsN(planned)} planned`,
    today: (created: number) => ` — ${created} created so far`,
    history: 'Past days:',
    historyLine: (day: number, date: string, created: number, skipped: string) =>
      `Day ${day} (${date}): ${created} created${skipped ? `, skipped: ${skipped}` : ''}`,
    noHistory: 'No past days yet.',
    members: (names: string) => `Accounts: ${names}`,
  },
  skip: {
    missed: 'missed',
    quarantined: 'quarantine',
    paused: 'paused',
    stopped: 'stopped',
    removed: 'removed',
  } as Record<string, string>,
  buttons: {
    pause: '⏸ Pause',
    resume: '▶️ Resume',
    stop: '⏹ Stop',
    details: 'ℹ️ Details',
    yesStop: 'Yes, stop it',
    no: 'No',
  },
  usageId:
    'Usage: /plan &lt;id&gt; [add=&lt;accounts&gt; | remove=&lt;account&gt;] — e.g. /plan 3 add=carol or /plan 3 add=tag:spring',
  notFound: (id: number) => `There is no programme #${id}. Send /plans to see them.`,
  confirmStop: (id: number, name: string) =>
    `Stop programme #${id} «${name}» for good? Its planned sessions will not run (tasks already created are not touched).`,
  paused: (id: number) => `Programme #${id} paused: its sessions are skipped until it is resumed.`,
  resumed: (id: number) => `Programme #${id} resumed.`,
  stopped: (id: number) => `Programme #${id} stopped.`,
  notStopped: 'Left running.',
  unchanged: (id: number, status: string) => `Programme #${id} is ${status}: nothing changed.`,
  added: (account: string, id: number, day: number) =>
    `@${account} takes part in programme #${id} from day ${day}.`,
  removed: (account: string, id: number, day: number) =>
    `@${account} leaves programme #${id} from day ${day}.`,
  member: {
    notLive: (id: number) => `Programme #${id} has ended; accounts can no longer change.`,
    unknownAccount: (account: string) => `There is no account @${account}. Send /accounts for the list.`,
    already: (account: string) => `@${account} already takes part.`,
    notMember: (account: string) => `@${account} does not take part in this programme.`,
    lastAccount: (account: string) => `@${account} is its last account: stop the programme instead.`,
  },
  badButton: 'That button is not valid. Send /plans for fresh ones.',
};
