// One budget for everything the bot sends, applied where every Bot API call passes: a Telegram
// object's callApi. Every call passes the send guard first (Telegram's size limits); command
// replies, callback answers and notifications take their slot from the same throttle and wait out
// retry_after there; every HTTP attempt, whichever object made it, is reported to the metrics.
// telegraf builds a new Telegram per update, so createBot applies this to each update's ctx.telegram too.
import { type Telegram, TelegramError } from 'telegraf';
import type { SendGuard } from './send-guard.ts';
import { DeliveryError, type SendOptions, sendWithRetry } from './send-with-retry.ts';
import { createThrottle, type Throttle } from './throttle.ts';

export type SendBudget = {
  readonly throttle: Throttle;
  /** Makes this Telegram object's calls take the budget and be counted; applying twice is a no-op. */
  apply(telegram: Telegram): void;
};

export type BudgetOptions = {
  throttle?: Throttle;
  /** Every HTTP attempt: its method and outcome ("ok", the HTTP status Telegram answered, or "network"). */
  onCall?: (method: string, outcome: string) => void;
  /** Telegram's size limits, kept for every call before it is sent (send-guard.ts). */
  guard?: SendGuard;
  /** Passed to sendWithRetry (tests drive the clock and the backoff with these). */
  retry?: Pick<SendOptions, 'maxAttempts' | 'backoff' | 'sleep' | 'random' | 'onRetry'>;
};

// Methods that put something into a chat: these are what Telegram's flood limits count.
const CHAT_SENDS = /^(send|edit|copy|forward)/;
// Answers that reach no chat but still count against the bot's overall rate.
const GLOBAL_ONLY = new Set(['answerCallbackQuery', 'answerInlineQuery']);
const applied = new WeakSet<Telegram>();

export function createSendBudget(options: BudgetOptions = {}): SendBudget {
  const throttle = options.throttle ?? createThrottle();
  return {
    throttle,
    apply(telegram) {
      if (applied.has(telegram)) return;
      applied.add(telegram);
      const raw = telegram.callApi.bind(telegram);
      const counted: typeof raw = async (method, payload, callOptions) => {
        try {
          const result = await raw(method, payload, callOptions);
          options.onCall?.(method, 'ok');
          return result;
        } catch (err) {
          // Stopping the bot aborts the long poll in flight; that is no failed call.
          if ((err as Error).name !== 'AbortError')
            options.onCall?.(method, err instanceof TelegramError ? String(err.code) : 'network');
          throw err;
        }
      };
      telegram.callApi = (async (method, given, callOptions) => {
        // Synchronously, before any await: the guard names the caller from the stack.
        const payload = options.guard
          ? (options.guard(method, given as Record<string, unknown>) as typeof given)
          : given;
        const chatId = (payload as { chat_id?: unknown }).chat_id;
        const budgeted = CHAT_SENDS.test(method) || GLOBAL_ONLY.has(method);
        if (!budgeted) return counted(method, payload, callOptions);
        const signal = callOptions?.signal as AbortSignal | undefined;
        try {
          // telegraf types its signal with the abort-controller polyfill; at run time it is Node's.
          type CallSignal = NonNullable<Parameters<typeof raw>[2]>['signal'];
          return await sendWithRetry(
            (s) => counted(method, payload, { ...callOptions, signal: s as CallSignal }),
            {
              ...options.retry,
              throttle,
              chatId: typeof chatId === 'number' && CHAT_SENDS.test(method) ? chatId : undefined,
              signal,
            },
          );
        } catch (err) {
          // Callers (telegraf's and ours) expect Telegram's own refusal, as without a budget.
          if (err instanceof DeliveryError && err.permanent) throw err.cause;
          throw err;
        }
      }) as typeof telegram.callApi;
    },
  };
}
