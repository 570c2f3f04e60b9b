// English texts of the fleet managed as a fleet: the paged /accounts, /accounts_import and its
// preview, ZIPs of saved logins, /accounts_export, /account_remove, proxy= and tags= of
// /account_set, and choosing accounts by group. Values from users arrive already HTML-escaped.
import { number, type PluralForms, plural } from './intl.ts';

const n = (count: number, forms: PluralForms) => plural('en', count, forms);
const num = (value: number) => number('en', value);
const accountsN = (count: number) => n(count, { one: '# account', other: '# accounts' });
const sessionsN = (count: number) => n(count, { one: '# session', other: '# sessions' });
const programmesN = (count: number) => n(count, { one: '# programme', other: '# programmes' });

export const fleetManageEn = {
  list: {
    header: (total: number, page: number, pages: number, filter: string) =>
      `<b>Accounts${filter ? ` (${filter})` : ''}: ${num(total)}</b>${pages > 1 ? ` · page ${num(page)} of ${num(pages)}` : ''}`,
    all: 'All',
    paused: '⏸ paused',
    emptyFiltered: 'No account matches this filter.',
    more: (count: number) => `…and ${num(count)} more (◀ ▶ for the other pages).`,
    moreTags: (count: number) =>
      `${n(count, { one: '# more tag', other: '# more tags' })} than buttons: /accounts tag:&lt;tag&gt;`,
    badArg: (value: string) =>
      `"${value}" is not a health, a tag:… or a page number. Usage: /accounts [health] [tag:x] [page] — e.g. /accounts logged_out tag:spring 2`,
    badButton: 'That button is not valid. Send /accounts again.',
  },
  proxyReasons: {
    empty: 'it is empty',
    unsupportedScheme: 'only http, https and socks5 proxies work',
    missingPort: 'the port is missing',
    badPort: 'the port is not a number from 1 to 65535',
    badHost: 'the host is neither a host name nor an IP address',
    badCredentials: 'a password without a user name',
    socks5Auth: 'SOCKS5 with a user name or password (the browser cannot log in to a SOCKS5 proxy)',
    badFormat: 'neither a URL, host:port nor host:port:user:pass',
  },
  import: {
    usage:
      'Send the accounts as a CSV or TXT file with the caption /accounts_import: one account a line — username, proxy, tags (comma, semicolon or tab between them; a header line is optional). A proxy is http://user:pass@host:port, socks5://host:port or host:port:user:pass.',
    tooLarge: (kb: number) => `That file is too big to import (at most ${num(kb)} KB).`,
    tooManyLines: (max: number) =>
      `That file holds more than ${num(max)} accounts: split it into files of at most ${num(max)} lines.`,
    notText: 'That file is not text: save the sheet as CSV and send that.',
    noAccounts: 'That file holds no accounts.',
    noUsernameColumn:
      'The header line has no username column (the columns: username, proxy, tags, platform).',
    duplicateColumn: (column: string) => `The header line names the column ${column} twice.`,
    header: '📥 <b>Import preview</b> — nothing is written until you tap Apply.',
    counts: (added: number, changed: number, unchanged: number) =>
      `New: ${num(added)} · changed: ${num(changed)} · unchanged: ${num(unchanged)}`,
    newNames: (names: string) => `New: ${names}`,
    changes: (proxy: number, tags: number, platform: number) =>
      `The changes: proxy ${num(proxy)} · tags ${num(tags)} · platform ${num(platform)}`,
    changedNames: (names: string) => `Changed: ${names}`,
    andMore: (count: number) => `+${num(count)}`,
    nothingToDo: 'Nothing to change: every account in the file is as it is already.',
    badHeader: (count: number) => `${n(count, { one: '# line', other: '# lines' })} left out:`,
    badLine: (line: number, why: string) => `line ${num(line)}: ${why}`,
    moreBad: (count: number) => `…and ${n(count, { one: '# more line', other: '# more lines' })} left out.`,
    reasons: {
      badUsername: 'not a username (letters, digits, _ and ., 2–24 characters)',
      badProxy: (why: string) => `bad proxy: ${why}`,
      socks5Auth: 'SOCKS5 with a password: the browser cannot log in to a SOCKS5 proxy',
      badTag: 'a tag that cannot be one (lower-case letters, digits, _ and -)',
      tooManyTags: 'more than 10 tags',
      unknownPlatform: 'a platform this bot does not know',
      duplicate: (first: number) => `the same account as line ${num(first)}`,
      tooManyColumns: 'more cells than columns',
      badQuoting: 'broken quotes',
    },
    buttons: { apply: (count: number) => `✅ Apply (${num(count)})`, cancel: '✖️ Cancel' },
    applied: (added: number, changed: number, unchanged: number) =>
      `✅ Imported: ${num(added)} new, ${num(changed)} changed, ${num(unchanged)} unchanged.`,
    cancelled: 'Import cancelled: nothing was written.',
    expired: 'This preview has expired (15 minutes) or was used already: send the file again.',
    notYours: 'Only the admin who sent the file can apply or cancel it.',
    badButton: 'That button is not valid. Send the file again.',
  },
  zip: {
    attached: (count: number) => `Saved logins attached: ${accountsN(count)}.`,
    none: 'No saved login was attached.',
    resumed: (count: number) =>
      n(count, {
        one: '# of them was paused; programmes include it again.',
        other: '# of them were paused; programmes include them again.',
      }),
    refusedHeader: (count: number) => `${n(count, { one: '# file', other: '# files' })} refused:`,
    line: (name: string, why: string) => `${name}: ${why}`,
    more: (count: number) => `…and ${n(count, { one: '# more file', other: '# more files' })} refused.`,
    reasons: {
      notJson: 'not a .json file',
      badName: 'its name is not a username',
      duplicate: 'a second file for the same account',
      tooLarge: 'bigger than 1 MB',
      encrypted: 'encrypted (a password-protected ZIP)',
      unsupported: 'compressed in a way I cannot read',
      unreadable: 'damaged, or not UTF-8 text',
      unknownAccount: 'no such account (add it first)',
    },
    refusals: {
      tooLarge: (mb: number) => `That ZIP is too big (at most ${num(mb)} MB). Split it into smaller ones.`,
      notZip: 'That file is not a ZIP archive I can read.',
      zipBomb: (mb: number) => `That ZIP unpacks to more than ${num(mb)} MB: refused.`,
      tooManyEntries: (max: number) => `That ZIP holds more than ${num(max)} files: refused. Split it.`,
      pathInName: 'That ZIP names a file with a path (.. or a leading /): refused.',
    },
  },
  export: {
    caption: (count: number) =>
      `The fleet: ${accountsN(count)} (proxy hosts only, no password). It re-imports with /accounts_import.`,
  },
  remove: {
    usage: 'Usage: /account_remove &lt;name&gt; — e.g. /account_remove alice',
    confirm: (account: string) =>
      `Remove @${account}? It leaves every list, selection and programme; its past runs stay in /task, and the name can be added again.`,
    running: (count: number) => `Its ${sessionsN(count)} queued or running will be cancelled first.`,
    programmes: (count: number) =>
      `It takes part in ${programmesN(count)}; its planned sessions there are skipped.`,
    buttons: { remove: '🗑 Remove', keep: '✖️ Keep it' },
    done: (account: string) => `🗑 @${account} removed.`,
    cancelled: (count: number) => `${n(count, { one: '# session', other: '# sessions' })} of it cancelled.`,
    left: (programmes: number, slots: number) =>
      `It left ${programmesN(programmes)}; ${sessionsN(slots)} planned there skipped.`,
    kept: 'Nothing was removed.',
    gone: 'That account is gone already. Send /accounts for the list.',
    badButton: 'That button is not valid. Send /account_remove again.',
    /** Why a restart would leave its run out: the account is no longer in the fleet. */
    removedLine: 'removed from the fleet',
  },
  set: {
    proxySet: (account: string, host: string) =>
      `@${account} goes through the proxy ${host} from its next session.`,
    proxyRemoved: (account: string) => `@${account} goes without a proxy from its next session.`,
    tagsSet: (account: string, tags: string) => `@${account} tags: ${tags}.`,
    tagsCleared: (account: string) => `@${account} has no tags now.`,
    badProxy: (why: string) =>
      `That proxy does not work here: ${why}. Write it as http://user:pass@host:port, host:port:user:pass, socks5://host:port, or none.`,
    badTags:
      'Tags are lower-case letters, digits, _ and - (up to 32 characters, at most 10 per account): tags=spring,us — or tags=none.',
    proxyDeleted: 'Your message named a proxy, so I deleted it from the chat.',
    proxyNotDeleted: 'Your message names a proxy and I may not delete it here: please delete it yourself.',
  },
  selection: {
    unknown: (parts: string) => `Unknown ${parts}. Send /accounts for the list.`,
    names: (list: string) => `accounts: ${list}`,
    tags: (list: string) => `tags: ${list}`,
    platforms: (list: string) => `platforms: ${list}`,
    badToken: (value: string) =>
      `"${value}" is not an account, tag:&lt;tag&gt;, platform:&lt;name&gt; or all. Example: accounts=tag:spring,alice`,
    empty: 'Say which accounts: names, tag:&lt;tag&gt;, platform:&lt;name&gt; or all.',
    noneWarmable:
      'None of those accounts can be warmed now (logged out, blocked or at a captcha). See /accounts.',
    joined: (added: number, already: number, id: number, day: number) =>
      `${n(added, { one: '# account takes', other: '# accounts take' })} part in programme #${id} from day ${day}${already > 0 ? ` (${num(already)} already did)` : ''}.`,
  },
};

export type FleetManageTexts = typeof fleetManageEn;
