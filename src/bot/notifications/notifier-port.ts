// What the outbox hands a chat's pending events to: the port a notifier implements. The one
// notifier is the task feature's (commands/tasks/notifier.ts), passed in by wiring.ts, so this
// folder knows no feature's texts or buttons.
import type { OutboxOutcome } from '../../db/schema.ts';
import type { TaskEvent } from '../../tasks/events.ts';

export type PendingEvent = { id: number; event: TaskEvent };
export type Settle = (ids: number[], outcome: OutboxOutcome) => Promise<void>;
export type Notifier = {
  /**
   * Delivers these events (oldest first) to the chat, settling each as it goes. Throws
   * ChatGoneError when the chat cannot be written to, or whatever transient trouble stopped it
   * (the unsettled rest is tried again later).
   */
  deliver(chatId: number, pending: PendingEvent[], settle: Settle): Promise<void>;
};
