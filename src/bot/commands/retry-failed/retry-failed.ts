// /retry_failed [reason] [since=24h] [accounts=tag:spring,alice] (operator): counts the failed runs
// that match, grouped by task, and asks first; Confirm restarts exactly the runs of that filter and
// window that are still failed (src/tasks/retry-failed.ts), Cancel restarts nothing. Both answer by
// editing the question. An accounts= filter keeps only the runs of those accounts.
import { randomBytes } from 'node:crypto';
import { Composer, Markup } from 'telegraf';
import { type FailedSelection, findFailedRuns, retryFailedRuns } from '../../../tasks/retry-failed.ts';
import type { FailureCode } from '../../../warmup/failure-reasons.ts';
import type { Texts } from '../../i18n/index.ts';
import { ignoreNotModified } from '../../notifications/send-with-retry.ts';
import { createExpiringStore } from '../../shared/expiring-store.ts';
import { escapeHtml, truncate } from '../../shared/text-budget.ts';
import { chooseAccounts } from '../account-selection.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import { shownInput } from '../quoted-input.ts';
import {
  decodeRetryCallback,
  encodeRetryConfirm,
  FAILURE_CODES,
  isRetryCallbackData,
  parseRetryArgs,
  RETRY_CANCEL,
} from './args.ts';

/** How long the accounts of an `accounts=` filter wait for Confirm. */
const ACCOUNTS_TTL_MS = 60 * 60_000;

/** "captcha, last 24 h": what the question and the answers say the filter is. */
function describeFilter(t: Texts, reason: string | null, seconds: number, accounts?: string[]): string {
  const r = t.fleet.retry;
  const period =
    seconds % 86_400 === 0 && seconds >= 2 * 86_400
      ? r.lastDays(seconds / 86_400)
      : r.lastHours(Math.round(seconds / 3600));
  const who = accounts
    ? `, ${r.ofAccounts(escapeHtml(truncate(accounts.filter(Boolean).join(','), 100)))}`
    : '';
  return `${reason === null ? r.anyReason : `<code>${reason}</code>`}, ${period}${who}`;
}

/** The question before a retry: how many runs of how many tasks match the window, and the buttons. */
export function retryQuestion(
  t: Texts,
  found: Pick<FailedSelection, 'runs' | 'tasks' | 'paused'>,
  window: {
    reason: FailureCode | null;
    since: number;
    until: number;
    /** The accounts= filter as typed, and the key its resolved ids are kept under for the button. */
    accounts?: Parameters<typeof describeFilter>[3];
    accountsKey?: string | undefined;
  },
) {
  const r = t.fleet.retry;
  const filter = describeFilter(t, window.reason, window.until - window.since, window.accounts);
  const lines = [
    r.confirm(found.runs, found.tasks, filter),
    ...(found.paused ? [r.paused(found.paused)] : []),
  ];
  return {
    text: lines.join('\n'),
    keyboard: Markup.inlineKeyboard([
      Markup.button.callback(
        r.buttons.confirm,
        encodeRetryConfirm(window.reason, window.since, window.until, window.accountsKey),
      ),
      Markup.button.callback(r.buttons.cancel, RETRY_CANCEL),
    ]),
  };
}

export function retryFailedFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db } = deps;
  const nowSeconds = () => Math.floor((deps.now ?? Date.now)() / 1000);
  const chosenAccounts = createExpiringStore<number[]>({ ttlMs: ACCOUNTS_TTL_MS, now: deps.now });

  feature.command('retry_failed', async (ctx) => {
    if (!(await requireRole(ctx, db, 'operator', 'retry_failed'))) return;
    const r = ctx.t.fleet.retry;
    const parsed = parseRetryArgs(commandArgs(ctx));
    if ('problem' in parsed) {
      const shown = 'value' in parsed ? (shownInput(parsed.value, 40) ?? ctx.t.hiddenLink) : '';
      const text =
        parsed.problem === 'reason'
          ? r.badReason(shown, FAILURE_CODES.join(', '))
          : parsed.problem === 'since'
            ? r.badSince(shown)
            : r.usage;
      return void (await ctx.reply(text, { parse_mode: 'HTML' }));
    }
    let accountIds: number[] | undefined;
    if (parsed.accounts) {
      // Runs of paused or logged-out accounts are failed runs too: groups take every account here.
      const chosen = await chooseAccounts(db, deps, ctx.t, parsed.accounts, {
        includeUnwarmable: true,
        noneText: ctx.t.fleet.selection.empty,
      });
      if (!chosen.ok) return void (await ctx.reply(chosen.text, { parse_mode: 'HTML' }));
      accountIds = chosen.accountIds;
    }
    const until = nowSeconds() + 1;
    const since = until - parsed.sinceSeconds;
    const found = await findFailedRuns(db, {
      reason: parsed.reason,
      since: new Date(since * 1000),
      until: new Date(until * 1000),
      ...(accountIds ? { accountIds } : {}),
    });
    if (found.runs === 0) {
      const filter = describeFilter(ctx.t, parsed.reason, parsed.sinceSeconds, parsed.accounts);
      return void (await ctx.reply(r.nothing(filter), { parse_mode: 'HTML' }));
    }
    const accountsKey = accountIds ? randomBytes(6).toString('hex') : undefined;
    if (accountsKey && accountIds) chosenAccounts.put(accountsKey, accountIds);
    const question = retryQuestion(ctx.t, found, {
      reason: parsed.reason,
      since,
      until,
      accounts: parsed.accounts,
      accountsKey,
    });
    await ctx.reply(question.text, { parse_mode: 'HTML', ...question.keyboard });
  });

  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (!isRetryCallbackData(data)) return next();
    const r = ctx.t.fleet.retry;
    const cb = decodeRetryCallback(data, nowSeconds());
    if (!cb) return void (await ctx.answerCbQuery(r.badButton, { show_alert: true }));
    if (!(await requireRole(ctx, db, 'operator', 'retry_failed'))) return;
    if (cb.action === 'cancel') {
      await ctx.answerCbQuery();
      await ctx.editMessageText(r.cancelled).catch(ignoreNotModified);
      return;
    }
    const accountIds = cb.accountsKey === undefined ? undefined : chosenAccounts.get(cb.accountsKey);
    if (cb.accountsKey !== undefined && !accountIds)
      return void (await ctx.answerCbQuery(r.expired, { show_alert: true }));
    const result = await retryFailedRuns(db, deps.jobs, {
      filter: {
        reason: cb.reason,
        since: new Date(cb.since * 1000),
        until: new Date(cb.until * 1000),
        ...(accountIds ? { accountIds } : {}),
      },
      actorId: ctx.actor.id,
      chatId: ctx.chat?.id ?? null,
    });
    const lines = [result.runs > 0 ? r.done(result.runs, result.tasks) : r.nothingLeft];
    if (result.busy > 0) lines.push(r.busy(result.busy));
    await ctx.answerCbQuery();
    // The question's buttons go: a second tap on an old copy finds nothing still failed anyway.
    await ctx.editMessageText(lines.join('\n'), { parse_mode: 'HTML' }).catch(ignoreNotModified);
  });

  return feature;
}
