// English texts: every sentence the bot says, in one place. ru.ts has the same shape.
// Values that come from users (task names, usernames) arrive already HTML-escaped.

import type { FailureCode } from '../../warmup/failure-reasons.ts';
import { chatEn } from './chat.en.ts';
import { fleetEn } from './fleet.en.ts';
import { fleetManageEn } from './fleet-manage.en.ts';
import { inboxEn } from './inbox.en.ts';
import { type Locale, number, type PluralForms, plural } from './intl.ts';
import { nextStepsEn } from './next-steps.en.ts';
import { platformsEn } from './platforms.en.ts';
import { programmesEn } from './programmes.en.ts';

const n = (count: number, forms: PluralForms) => plural('en', count, forms);
/** A count or measure as the language writes it: 12,345 / 12 345. */
const num = (value: number) => number('en', value);
const accountsN = (count: number) => n(count, { one: '# account', other: '# accounts' });

export const en = {
  /** The language and timezone these texts speak in; textsFor() swaps in the team's timezone. */
  locale: { lang: 'en', timeZone: 'UTC' } as Locale,
  /** Duration units: 4m 12s. */
  units: { h: (v: string) => `${v}h`, m: (v: string) => `${v}m`, s: (v: string) => `${v}s` },
  nextSteps: nextStepsEn,
  roles: { viewer: 'viewer', operator: 'operator', admin: 'admin' },
  health: {
    ok: 'ok',
    unknown: 'not checked yet',
    logged_out: 'logged out',
    captcha: 'stuck at a captcha',
    blocked: 'blocked',
    proxy_error: 'proxy not working',
  },
  /**
   * Why a run failed, for a person, with the step that fixes it. The reason code and the
   * technical detail stay in the run log (and /task's log section).
   */
  reasons: {
    logged_out: (account: string) =>
      `logged out — send a fresh login: the JSON with the caption /login ${account}.`,
    captcha: (_account: string) =>
      'stopped at a captcha — open the account by hand, solve it, then restart the task.',
    blocked: (_account: string) =>
      'the account is blocked — check it by hand; it cannot be warmed up for now.',
    proxy_error: (account: string) =>
      `the proxy did not work — check the account and its proxy: /check ${account}.`,
    navigation_timeout: (_account: string) => 'the site did not load in time — a restart usually helps.',
    selector_missing: (_account: string) =>
      'the page did not look as expected — try again later; if it repeats, tell the developers.',
    browser_crashed: (_account: string) => 'the browser crashed — a restart usually helps.',
    worker_lost: (_account: string) => 'the worker running it stopped — a restart usually helps.',
    expired: (_account: string) => 'it waited in the queue too long — a restart usually helps.',
    cancelled: (_account: string) => 'cancelled.',
    session_unreadable: (account: string) =>
      `its saved login cannot be read — send it again: the JSON with the caption /login ${account}.`,
    bad_settings: (_account: string) =>
      "the task's settings are no longer valid — create a new task with /new.",
    internal_error: (_account: string) => 'an unexpected error in the worker — a restart usually helps.',
    interrupted: (_account: string) => 'it was interrupted — a restart usually helps.',
    job_lost: (_account: string) => 'its queued job was lost — a restart usually helps.',
    other: (_account: string) => 'failed for an unexpected reason; the details are in /task.',
  } satisfies Record<FailureCode | 'other', (account: string) => string>,
  refusal: (id: number) =>
    `This bot is private. Your Telegram id is ${id}; ask an admin to grant you access.`,
  forbidden: (role: string) => `Your role (${role}) does not allow that.`,
  unavailable: 'The database is not reachable right now. Try again in a moment.',
  internalError: 'Something went wrong on our side. Try again in a moment.',
  unknownCommand: 'I do not know that command. Send /help for the list.',
  staleButton: 'That button is not valid (anymore). Send /list to start over.',
  /** Stands in for user text that is not quoted back because it is (or holds) a link. */
  hiddenLink: '[link not shown]',
  secrets: {
    deleted: 'Your message held a password, so I deleted it from the chat.',
    notDeleted:
      'Your message holds a password and I may not delete it here (I need the right to delete messages): please delete it yourself.',
  },

  help: {
    intro: 'I run browser warmups for your TikTok accounts and report back here.',
    viewer: [
      '/list [status] [page] — tasks, newest first',
      '/task &lt;id&gt; — details of one task',
      '/accounts [health] [tag:x] [page] — the accounts, 20 a page, with health and tag filters',
      "/plans — warmup programmes; /plan &lt;id&gt; — one programme's next days and history",
    ],
    operator: [
      '/new — create a task (guided), or /new accounts=a,b,tag:spring preset=light likes=2-5 …',
      '/restart &lt;id&gt; [failed] — run a finished task again (all accounts, or failed only)',
      '/cancel &lt;id&gt; — stop a queued or running task',
      '/check &lt;account&gt; — open the account through its proxy and say whether it is logged in',
      '/plan name=… accounts=… window=… — warm accounts for days on a ramp (send /plan for an example)',
    ],
    admin: [
      '/account_add &lt;username&gt; [proxy_url] [platform=instagram] — add an account',
      '/account_set &lt;username&gt; key=value… — change its proxy (proxy=…|none), tags (tags=a,b|none), platform (platform=…) or browser identity (country, locale, timezone, viewport, scale, user_agent)',
      'send a JSON file with the caption /login &lt;username&gt; — attach a saved login; a ZIP of &lt;username&gt;.json files with the caption /login — attach one to each account',
      '/grant &lt;user_id&gt; viewer|operator|admin, /revoke &lt;user_id&gt; — manage access',
    ],
    role: (role: string) => `Your role: ${role}.`,
  },

  usage: {
    restart: 'Usage: /restart &lt;task id&gt; [failed] — e.g. /restart 42 or /restart 42 failed',
    cancel: 'Usage: /cancel &lt;task id&gt; — e.g. /cancel 42',
    task: 'Usage: /task &lt;task id&gt; — e.g. /task 42',
    list: 'Usage: /list [pending|running|completed|failed|cancelled] [page] — e.g. /list failed 2',
  },
  badId: (text: string) => `"${text}" is not a task id. Task ids are whole numbers, e.g. /task 42.`,
  badScope: (text: string) =>
    `"${text}" is not a restart scope: use /restart &lt;id&gt; or /restart &lt;id&gt; failed.`,
  notFound: (id: number) => `There is no task #${id}. Send /list to see the tasks.`,
  badAccountName: (value: string) =>
    `"${value}" is not an account name: letters, digits, _ and ., at most 24 characters.`,
  unknownAccount: (account: string) => `There is no account @${account}. Send /accounts for the list.`,
  unknownAccounts: (names: string) => `Unknown accounts: ${names}. Send /accounts for the list.`,

  restarted: (id: number) => `Task #${id} restarted.`,
  restartBusy: (id: number, why: string) => `Task #${id} was not restarted: ${why}.`,
  restartNothingFailed: (id: number) =>
    `Task #${id} has no failed accounts to restart. Use /restart ${id} to run all again.`,
  /** Above one line per account (restartWarningLine), folded when they are many (task.more). */
  restartWarning: (id: number) =>
    `Task #${id} was not restarted yet: these accounts cannot be warmed up now.`,
  restartWarningLine: (account: string, health: string) => `• @${account} — ${health}`,
  cancelled: (id: number) => `Task #${id} cancelled.`,
  cancelRefused: (id: number, why: string) => `Task #${id} was not cancelled: ${why}.`,

  /** Why a restart or cancel changed nothing, by the task's current status. */
  why: {
    pending: 'it is already queued',
    running: 'it is still running',
    completed: 'it has already completed',
    failed: 'it has already finished (failed)',
    cancelled: 'it has already been cancelled',
  },
  status: {
    pending: 'queued',
    running: 'running',
    completed: 'completed',
    failed: 'failed',
    cancelled: 'cancelled',
  },
  buttons: {
    restart: '🔁 Restart',
    restartFailed: '🔁 Restart failed',
    restartAnyway: '🔁 Restart anyway',
    restartFailedAnyway: '🔁 Restart failed anyway',
    restartHealthy: '🔁 Restart the healthy ones',
    restartFailedHealthy: '🔁 Restart the healthy failed ones',
    cancel: '⛔ Cancel',
    details: 'ℹ️ Details',
    refresh: '🔄 Refresh',
    prev: '◀',
    next: '▶',
    all: 'all',
  },

  task: {
    more: (n: number) => `…and ${num(n)} more.`,
    accounts: (ok: number, failed: number, total: number) =>
      `Accounts: ${num(ok)} ok · ${num(failed)} failed · ${num(total)} total`,
    failedOf: (failed: number, total: number) => `${num(failed)} of ${accountsN(total)} failed`,
    duration: (d: string) => `Duration: ${d}`,
    started: (d: string) => `Running for ${d}`,
    restartedBy: (who: string) => `Restarted by ${who}`,
    cancelledBy: (who: string) => `Cancelled by ${who}`,
    createdBy: (who: string) => `Created by ${who}`,
    run: (n: number) => `run ${num(n)}`,
    created: 'Created',
    startedAt: 'Started',
    completedAt: 'Finished',
    runs: 'Accounts',
    log: 'Last log lines',
    history: 'History',
    none: '—',
    capped: 'cut short by the session cap',
  },
  events: {
    started: 'started',
    progress: 'running',
    completed: 'completed',
    failed: 'failed',
    cancelled: 'cancelled',
    restarted: 'restarted',
  },
  digest: {
    finished: (count: number) => `${n(count, { one: '# task', other: '# tasks' })} finished:`,
    started: (count: number) => `${n(count, { one: '# task', other: '# tasks' })} started:`,
    more: (n: number) => `…and ${num(n)} more. Send /list for all.`,
  },
  counters: {
    watched: (items: number, seconds: number) => `watched ${num(items)} (${num(seconds)} s)`,
    likes: 'likes',
    follows: 'follows',
    comments: 'comments',
    searches: 'searches',
    scrolls: 'skimmed',
  },
  menu: {
    new: 'Create a warmup task',
    list: 'Tasks, newest first',
    task: 'Details of a task: /task 42',
    restart: 'Restart a task: /restart 42 [failed]',
    cancel: 'Cancel a task: /cancel 42',
    accounts: 'Accounts and their health',
    check: 'Check an account: /check alice',
    plans: 'Warmup programmes',
    plan: 'Create a programme, or see one: /plan 3',
    help: 'What I can do',
  },
  list: {
    empty: 'No tasks yet. Create one with /new.',
    emptyFiltered: (status: string) => `No ${status} tasks.`,
    header: (page: number, pages: number | undefined, total: number) =>
      pages === undefined
        ? `Tasks — page ${num(page)} (more than ${num(total)})`
        : `Tasks — page ${num(page)} of ${num(pages)} (${num(total)} in all)`,
  },
  programmes: programmesEn,
  inbox: inboxEn,
  newTask: {
    notKeyValue: (token: string) =>
      `"${token}" is not key=value. Example: /new accounts=alice,bob preset=light likes=2-5`,
    unknownKey: (key: string, known: string) => `"${key}" is not a setting. Known settings: ${known}.`,
    duplicateKey: (key: string) => `${key} is given twice; give each setting once.`,
    emptyValue: (key: string) => `${key}= has no value.`,
    reversedRange: (key: string, value: string, fixed: string) =>
      `${key}=${value}: the first number is larger than the second; write ${key}=${fixed}.`,
    notRange: (key: string, value: string) =>
      `${key}=${value} is not a range: write two whole numbers like ${key}=2-5, or one like ${key}=3.`,
    notCount: (key: string, value: string) => `${key}=${value} is not a whole number: write e.g. ${key}=2.`,
    badCap: (value: string) =>
      `cap=${value} is not a duration: write seconds, minutes or hours, e.g. cap=90s or cap=20m.`,
    unknownPreset: (value: string, names: string) => `There is no preset "${value}". Presets: ${names}.`,
    tooLong: (key: string, max: number) => `${key} is too long: at most ${max} characters.`,
    missingAccounts:
      'Say which accounts: accounts=alice,bob, accounts=tag:spring or accounts=all — or send /new alone to pick them with buttons.',
    noHealthy:
      'No healthy accounts: every account is logged out, blocked or stuck at a captcha. See /accounts.',
    noAccounts: 'There are no accounts yet. An admin adds them with /account_add &lt;username&gt;.',
    badSettings: (problems: string) => `These settings do not work: ${problems}.`,
    created: (id: number, count: number, preset: string) =>
      `Task #${id} created: ${accountsN(count)}, preset ${preset}.`,
    leftOut: (count: number) =>
      `Left out of the group: ${accountsN(count)} that cannot be warmed now (logged out, blocked or at a captcha). See /accounts.`,
    defaultPreset: 'default',
    pickAccounts: (selected: number, total: number) =>
      `New task, step 1 of 3: pick the accounts (${num(selected)} of ${num(total)} selected; ⚠️ = not healthy).`,
    pickPreset: (count: number) => `New task, step 2 of 3: pick a preset for ${accountsN(count)}.`,
    presetLine: (name: string, videos: string, likes: string, follows: string, comments: string) =>
      `<b>${name}</b>: videos ${videos}, likes ${likes}, follows ${follows}, comments ${comments}`,
    confirm: (count: number, names: string, preset: string) =>
      `New task, step 3 of 3: ${accountsN(count)} (${names}), preset ${preset}. Create it?`,
    cancelled: 'Cancelled; nothing was created.',
    pickSome: 'Pick at least one account first.',
    stale: 'This draft has expired or is finished. Send /new to start again.',
    badButton: 'That button is not valid. Send /new to start again.',
    buttons: { allHealthy: '✓ All healthy', next: 'Next ▶', create: '✅ Create', cancel: '✖ Cancel' },
  },

  accounts: {
    header: (n: number) => `Accounts (${num(n)}):`,
    empty: 'No accounts yet. An admin adds one with /account_add &lt;username&gt; [proxy_url].',
    lastWarmed: (when: string) => `last warmed ${when}`,
    neverWarmed: 'never warmed',
    login: 'login ✓',
    noLogin: 'no login',
    proxy: (host: string) => `proxy ${host}`,
    more: (n: number) => `…and ${num(n)} more.`,
    usageAdd:
      'Usage: /account_add &lt;username&gt; [proxy_url] [platform=…] — e.g. /account_add alice http://user:pass@proxy.example:8080 platform=instagram',
    badUsername: (value: string) =>
      `"${value}" is not a TikTok username: letters, digits, _ and ., 2–24 characters (a leading @ is fine).`,
    added: (username: string) =>
      `Account @${username} added. Attach its login: send a JSON file with the caption /login ${username}.`,
    addedWithProxy: (username: string, host: string) =>
      `Account @${username} added with proxy ${host}. Attach its login: send a JSON file with the caption /login ${username}.`,
    proxyFirst: 'The username comes first and the proxy second: /account_add &lt;username&gt; [proxy_url].',
    exists: (username: string) => `Account @${username} already exists.`,
    noIdentity: 'identity not stored yet (one drawn from its id is used; /account_set stores one)',
    fixedUserAgent: 'fixed user agent',
    cdp: (profile: string) => `anti-detect profile ${profile}`,
  },

  accountSet: {
    usage:
      'Usage: /account_set &lt;username&gt; key=value… — keys: proxy (http://user:pass@host:port, host:port:user:pass, socks5://host:port or none), tags (spring,us or none), country (DE), locale (de-DE), timezone (Europe/Berlin), viewport (1920x1000), scale (1, 1.25…), user_agent (a full string, or auto), identity=new, shared=yes; browser=local|cdp, profile=dolphin:&lt;id&gt;, inject_login=yes|no; platform=tiktok|instagram|youtube (none: the default).',
    unknownAccount: (username: string) => `There is no account @${username}.`,
    notPair: (text: string) => `"${text}" is not a key=value setting.`,
    unknownKey: (key: string) =>
      `There is no setting "${key}". Settings: proxy, tags, country, locale, timezone, viewport, scale, user_agent, identity, shared, browser, profile, inject_login, platform.`,
    repeated: (key: string) => `"${key}" is given twice.`,
    badValue: {
      country: (v: string) => `"${v}" is not a country I know: use a two-letter code such as US, DE, BR.`,
      locale: (v: string) => `"${v}" is not a locale: use one such as en-US or de-DE.`,
      timezone: (v: string) => `"${v}" is not a timezone: use an IANA name such as Europe/Berlin.`,
      viewport: (v: string) =>
        `"${v}" is not a viewport: use WIDTHxHEIGHT, e.g. 1920x1000 (at least 800x500).`,
      scale: (v: string) => `"${v}" is not a device scale: use a number from 1 to 3, e.g. 1.25.`,
      user_agent: (v: string) => `"${v}" is not a user agent: give the full string, or auto.`,
      identity: (v: string) => `identity=${v}: the only value is identity=new (a fresh draw).`,
      shared: (v: string) => `shared=${v}: use shared=yes to allow an identity another account has.`,
      browser: (v: string) => `"${v}" is not a browser: use browser=local or browser=cdp.`,
      profile: (v: string) =>
        v
          ? `"${v}" is not a profile: use profile=dolphin:&lt;profile id&gt;.`
          : 'A cdp browser needs a profile first: profile=dolphin:&lt;profile id&gt;.',
      inject_login: (v: string) => `inject_login=${v}: use yes or no.`,
    },
    clash: 'Another account already has exactly this identity. Add shared=yes if they should share it.',
    done: (username: string, identity: string) => `Account @${username} now shows: ${identity}.`,
    doneCdp: (username: string, profile: string) =>
      `Account @${username} now runs in the anti-detect profile ${profile}.`,
  },

  check: {
    usage: 'Usage: /check &lt;account&gt; — e.g. /check alice',
    badUsername: (value: string) => `"${value}" is not an account name. Send /accounts for the list.`,
    queued: (username: string) => `Checking @${username}… (answer within a minute)`,
    queuedBusy: (username: string) =>
      `@${username} is in a browser session right now; the check runs as soon as that session ends.`,
    header: (username: string) => `🔎 Check of @${username}`,
    reachable: 'Proxy and site: reachable',
    unreachable: (reason: string) => `Proxy or site: not reachable (${reason})`,
    notRun: (reason: string) => `The check did not run (${reason})`,
    states: {
      logged_in: '✅ Logged in',
      logged_out: '🔒 Logged out',
      captcha: '🧩 Stuck at a captcha',
      blocked: '⛔ Blocked',
      unknown: '❔ Login state unclear',
    } as Record<string, string>,
    health: (health: string) => `Health recorded: ${health}`,
    healthKept: 'Health left as it was.',
  },

  login: {
    usage:
      'Send the saved login as a JSON file (Playwright storage state or an exported cookie list) with the caption /login &lt;username&gt;.',
    noKey: 'Saved logins cannot be stored: SESSION_ENCRYPTION_KEY is not configured on the server.',
    unknownAccount: (username: string) =>
      `There is no account @${username}. Add it first with /account_add ${username}.`,
    tooBig: (kb: number) => `That file is too big for a saved login (at most ${num(kb)} KB).`,
    notJson: 'That file is not JSON. Send a Playwright storage state or an exported cookie list.',
    badShape: (detail: string) =>
      `That file is neither a Playwright storage state nor a cookie list (${detail}).`,
    noCookies: 'That file holds no cookies.',
    badCookie: (n: number, name: string, rule: string) => `Cookie ${n} (${name}): ${rule}.`,
    cookieRules: {
      domain: 'it needs a domain, such as .tiktok.com',
      expires: 'expires must be -1 (a session cookie) or a Unix time in seconds after 1970',
      sameSite: 'sameSite must be Strict, Lax or None',
    },
    unreadable: 'I could not read that file from the Bot API server. Send it again.',
    attached: (username: string, cookies: number) =>
      `Login attached for @${username} (${n(cookies, { one: '# cookie', other: '# cookies' })}).`,
    deleted: 'The message with the file was deleted from the chat.',
    notDeleted: 'I could not delete the message with the file: please delete it yourself.',
  },

  grants: {
    usageGrant: 'Usage: /grant &lt;user_id&gt; viewer|operator|admin — e.g. /grant 123456789 operator',
    usageRevoke: 'Usage: /revoke &lt;user_id&gt; — e.g. /revoke 123456789',
    badUserId: (text: string) =>
      `"${text}" is not a Telegram user id: a whole number, which a user sees when they message me.`,
    badRole: (text: string) => `"${text}" is not a role: use viewer, operator or admin.`,
    notYourself: 'You cannot change or revoke your own access; ask another admin.',
    granted: (id: number, role: string) => `User ${id} can now use the bot as ${role}.`,
    changed: (id: number, from: string, to: string) => `User ${id}: ${from} → ${to}.`,
    unchanged: (id: number, role: string) => `User ${id} already has the role ${role}.`,
    revoked: (id: number) => `User ${id} no longer has access.`,
    notAUser: (id: number) => `User ${id} has no access; nothing to revoke.`,
    configured: (id: number) =>
      `User ${id} is an admin configured on the server (TELEGRAM_ADMIN_IDS); that is changed there, not here.`,
    lastAdmin: (id: number) => `User ${id} is the last admin; make someone else admin first.`,
    noLongerAdmin: 'You are no longer an admin, so nothing was changed.',
  },
  fleet: { ...fleetEn, ...fleetManageEn },
  chat: chatEn,
  platforms: platformsEn,
};

export type Texts = typeof en;
