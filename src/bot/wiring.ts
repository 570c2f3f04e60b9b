// wireBot: the bot and everything it sends through, wired once — the one send budget (Telegram's
// size limits by the send guard, throttle, retry_after, metrics) on every Telegram object, the watch on update intake, the notifier and its
// per-chat outbox, the daily summaries' clock. main.ts and the test harness both start the bot through here.
import type { Telegraf } from 'telegraf';
import type { Logger } from '../logger.ts';
import type { TaskEvent } from '../tasks/events.ts';
import type { BotContext, BotDeps } from './commands/context.ts';
import { type DailyDigest, startDailyDigest } from './commands/summary/daily-digest.ts';
import { createNotifier } from './commands/tasks/notifier.ts';
import { createBot } from './index.ts';
import { type Outbox, type OutboxOptions, startOutbox } from './notifications/outbox.ts';
import { type BudgetOptions, createSendBudget, type SendBudget } from './notifications/send-budget.ts';
import { createSendGuard, type SendGuardOptions } from './notifications/send-guard.ts';
import { createTelegramWatch, type TelegramWatch } from './notifications/telegram-watch.ts';

export type WireBotOptions = BotDeps & {
  token: string;
  apiRoot: string;
  /** Every Bot API call's method and outcome (the Telegram metrics). */
  onTelegramCall?: (method: string, outcome: string) => void;
  /** Told of every event once its message went out (the delivery lag metric). */
  onDelivered?: (event: TaskEvent) => void;
  budget?: Omit<BudgetOptions, 'onCall' | 'guard'>;
  /** The send guard: strict (bad callback data throws: tests), and who is told of every cut. */
  limits?: Omit<SendGuardOptions, 'log'>;
  outbox?: Pick<OutboxOptions, 'sweepMs' | 'retry' | 'keepDays' | 'leaseMs'>;
  /** How often the daily summaries' clock is looked at (0: only by tick(), for tests). */
  digestEveryMs?: number;
  log: Logger;
};

export type WiredBot = {
  bot: Telegraf<BotContext>;
  budget: SendBudget;
  watch: TelegramWatch;
  outbox: Outbox;
  digest: DailyDigest;
};

export async function wireBot(options: WireBotOptions): Promise<WiredBot> {
  const {
    onTelegramCall,
    onDelivered,
    budget: budgetOptions,
    limits,
    outbox: outboxOptions,
    digestEveryMs,
    ...deps
  } = options;
  // One clock for quiet hours, summaries and the refusal limit: tests drive it.
  const clock = deps.now ?? Date.now;
  const now = () => new Date(clock());
  const watch = createTelegramWatch();
  const budget = createSendBudget({
    ...budgetOptions,
    guard: createSendGuard({ ...limits, log: deps.log }),
    onCall: (method, outcome) => {
      watch.observe(method, outcome);
      onTelegramCall?.(method, outcome);
    },
  });
  let outbox: Outbox | undefined;
  const bot = createBot({
    ...deps,
    onTelegram: budget.apply,
    onChat: async (chatId) => outbox?.chatSpoke(chatId),
  });
  const notifier = createNotifier({
    db: deps.db,
    telegram: bot.telegram,
    log: deps.log,
    ...(deps.timeZone ? { timeZone: deps.timeZone } : {}),
  });
  outbox = await startOutbox({
    ...outboxOptions,
    db: deps.db,
    notifier,
    throttle: budget.throttle,
    log: deps.log,
    onDelivered,
    now,
    ...(deps.timeZone ? { timeZone: deps.timeZone } : {}),
  });
  const digest = startDailyDigest({
    db: deps.db,
    platforms: deps.platforms,
    telegram: bot.telegram,
    log: deps.log,
    now,
    unreachable: outbox,
    ...(deps.timeZone ? { timeZone: deps.timeZone } : {}),
    ...(digestEveryMs !== undefined ? { everyMs: digestEveryMs } : {}),
  });
  return { bot, budget, watch, outbox, digest };
}
