// English texts of the fleet features: quarantine (a paused account and its Resume), the account
// page (/account) and /retry_failed. Values from users arrive already HTML-escaped.
import { type PluralForms, plural } from './intl.ts';

const n = (count: number, forms: PluralForms) => plural('en', count, forms);
const runsN = (count: number) => n(count, { one: '# failed run', other: '# failed runs' });
const tasksN = (count: number) => n(count, { one: '# task', other: '# tasks' });

export const fleetEn = {
  help: {
    viewer: ['/account &lt;name&gt; — one account: health, identity, programmes, last runs'],
    operator: [
      '/account_resume &lt;name&gt; — resume an account paused by a captcha, block or logout',
      '/retry_failed [reason] [since=24h] [accounts=tag:x,…] — restart the failed runs of every task (asks first)',
    ],
    admin: [
      'send a CSV/TXT file with the caption /accounts_import — add or change many accounts at once (a preview first)',
      '/accounts_export — the fleet as a CSV file (no passwords)',
      '/account_remove &lt;name&gt; — remove an account (asks first; its past runs stay)',
    ],
  },
  menu: {
    account: 'One account at a glance: /account alice',
    retry_failed: 'Restart failed runs: /retry_failed captcha since=24h',
    accounts_import: 'Import accounts: send a CSV with this caption',
    accounts_export: 'The fleet as a CSV file',
    account_remove: 'Remove an account: /account_remove alice',
  },
  quarantine: {
    /** The line of a failure notice: the account is left out of every programme until resumed. */
    notice: (account: string, why: string) => `⏸ <b>${account}</b> is paused in all programmes: ${why}`,
    why: {
      captcha: 'stopped at a captcha — open the account by hand, then tap Resume.',
      blocked: 'the account is blocked — check it by hand, then tap Resume.',
      logged_out: (account: string) =>
        `logged out — send a fresh login (/login ${account}), which resumes it, or tap Resume.`,
      other: 'it needs a look by hand — then tap Resume.',
    },
    more: (count: number) =>
      `⏸ …and ${n(count, { one: '# more account', other: '# more accounts' })} paused: /account &lt;name&gt; shows each.`,
    resumeButton: (account: string) => `▶️ Resume ${account}`,
    resumed: (account: string) => `@${account} resumed: programmes include it again.`,
    notPaused: (account: string) => `@${account} is not paused (resumed already).`,
    gone: 'That account no longer exists. Send /accounts for the list.',
    usage: 'Usage: /account_resume &lt;account&gt; — e.g. /account_resume alice',
    /** Added to the /login answer when the upload lifted a quarantine. */
    resumedByLogin: 'It was paused; programmes include it again.',
  },
  account: {
    usage: 'Usage: /account &lt;name&gt; — e.g. /account alice (send /accounts for the list)',
    header: (account: string) => `👤 <b>@${account}</b>`,
    health: (health: string, when: string) => `Health: ${health} (${when})`,
    healthNever: (health: string) => `Health: ${health}`,
    identity: (summary: string) => `Identity: ${summary}`,
    paused: (reason: string, when: string) => `⏸ Paused in all programmes since ${when}: ${reason}`,
    notPaused: 'Not paused.',
    programmes: (names: string) => `Programmes: ${names}`,
    noProgrammes: 'Programmes: none',
    programme: (name: string, status: string) => `${name} (${status})`,
    programmeStatus: {
      active: 'active',
      paused: 'paused',
      stopped: 'stopped',
      finished: 'finished',
    } as Record<string, string>,
    runs: 'Last runs:',
    noRuns: 'No runs yet.',
    run: (taskId: number, status: string, when: string, took: string) =>
      `#${taskId} ${status} · ${when} · ${took}`,
    notStarted: 'not started',
    buttons: { check: '🔎 Check', resume: '▶️ Resume', restartLast: '🔁 Restart last' },
    noLastRun: 'This account has no run to restart yet.',
  },
  retry: {
    usage:
      'Usage: /retry_failed [reason] [since=24h] [accounts=tag:spring,alice] — e.g. /retry_failed captcha since=6h (since: hours or days, at most 30d)',
    badReason: (value: string, codes: string) => `"${value}" is not a failure reason. Reasons: ${codes}.`,
    badSince: (value: string) =>
      `"${value}" is not a period: use since= with hours or days, e.g. since=6h or since=2d (at most 30d).`,
    anyReason: 'any reason',
    ofAccounts: (selection: string) => `accounts ${selection}`,
    expired: 'This question has expired: send /retry_failed again.',
    lastHours: (h: number) => `last ${h} h`,
    lastDays: (d: number) => `last ${d} d`,
    nothing: (filter: string) => `No failed runs to restart (${filter}).`,
    confirm: (runs: number, tasks: number, filter: string) =>
      `Restart ${runsN(runs)} of ${tasksN(tasks)} (${filter})?`,
    paused: (count: number) =>
      n(count, {
        one: '# of them is of a paused account (/account_resume it first, or it will likely fail again).',
        other:
          '# of them are of paused accounts (/account_resume them first, or they will likely fail again).',
      }),
    buttons: { confirm: '🔁 Restart them', cancel: '✖️ Cancel' },
    done: (runs: number, tasks: number) => `Restarted ${runsN(runs)} of ${tasksN(tasks)}.`,
    busy: (tasks: number) =>
      n(tasks, {
        one: '# task had not finished and was left alone.',
        other: '# tasks had not finished and were left alone.',
      }),
    nothingLeft: 'None of those runs is still failed: nothing was restarted.',
    cancelled: 'Nothing was restarted.',
    badButton: 'That button is not valid. Send /retry_failed again.',
  },
};

export type FleetTexts = typeof fleetEn;
