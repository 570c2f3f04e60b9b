// The drafts of the guided /new, kept in this process's memory per chat and user: buttons carry
// only short tokens, so what was picked lives here until it is confirmed, cancelled or expires.
import type { PresetName } from '../../../warmup/settings.ts';
import type { NewTaskCallback } from './keyboard.ts';

export const DRAFT_TTL_MS = 15 * 60_000;
export const ACCOUNTS_PER_PAGE = 20;
/** Tag buttons offered (the most used ones): the keyboard stays far below Telegram's 100 buttons. */
export const MAX_TAG_BUTTONS = 12;

export type DraftAccount = { id: number; username: string; healthy: boolean; tags: readonly string[] };

export type Draft = {
  /** The message whose buttons drive this draft; taps on any other message are stale. */
  messageId: number;
  /** The accounts offered when the draft started, in username order. */
  accounts: DraftAccount[];
  /** The tags offered as buttons (most used first), each selecting its healthy accounts at once. */
  tags: string[];
  selected: Set<number>;
  page: number;
  step: 'accounts' | 'preset' | 'confirm';
  preset: PresetName | undefined;
};

export type DraftStore = ReturnType<typeof createDraftStore>;

export function createDraftStore(options: { ttlMs?: number; now?: () => number } = {}) {
  const ttlMs = options.ttlMs ?? DRAFT_TTL_MS;
  const now = options.now ?? Date.now;
  const drafts = new Map<string, { draft: Draft; expiresAt: number }>();
  const key = (chatId: number, userId: number) => `${chatId}:${userId}`;

  const prune = () => {
    const at = now();
    for (const [k, entry] of drafts) if (entry.expiresAt <= at) drafts.delete(k);
  };

  return {
    /** Starts (or replaces) the user's draft in this chat. */
    put(chatId: number, userId: number, draft: Draft): void {
      prune();
      drafts.set(key(chatId, userId), { draft, expiresAt: now() + ttlMs });
    },
    /** The live draft driven by this message, its expiry pushed back; undefined when stale. */
    get(chatId: number, userId: number, messageId: number): Draft | undefined {
      const entry = drafts.get(key(chatId, userId));
      if (!entry || entry.expiresAt <= now() || entry.draft.messageId !== messageId) return undefined;
      entry.expiresAt = now() + ttlMs;
      return entry.draft;
    },
    /** Ends the draft; the next tap on its buttons is stale. */
    drop(chatId: number, userId: number): void {
      drafts.delete(key(chatId, userId));
    },
    size(): number {
      prune();
      return drafts.size;
    },
  };
}

/** The tags of these accounts, the most used first (then by name), at most MAX_TAG_BUTTONS. */
export function tagsOffered(accounts: readonly DraftAccount[]): string[] {
  const counts = new Map<string, number>();
  for (const a of accounts) for (const tag of a.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts]
    .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : 1))
    .slice(0, MAX_TAG_BUTTONS)
    .map(([tag]) => tag);
}

export function pageCount(draft: Draft): number {
  return Math.max(1, Math.ceil(draft.accounts.length / ACCOUNTS_PER_PAGE));
}

export function accountsOnPage(draft: Draft): DraftAccount[] {
  const start = (draft.page - 1) * ACCOUNTS_PER_PAGE;
  return draft.accounts.slice(start, start + ACCOUNTS_PER_PAGE);
}

export type TapRefusal = 'invalid' | 'pickSome' | 'noHealthy';

/**
 * Applies a tap to the draft. Each button belongs to one step, and a token naming an account or
 * page the draft never offered is forged: both are 'invalid', and the draft stays as it was.
 */
export function applyTap(draft: Draft, cb: NewTaskCallback): TapRefusal | undefined {
  const inStep = (step: Draft['step']) => draft.step === step;
  switch (cb.action) {
    case 'toggle': {
      if (!inStep('accounts') || !draft.accounts.some((a) => a.id === cb.accountId)) return 'invalid';
      if (!draft.selected.delete(cb.accountId)) draft.selected.add(cb.accountId);
      return;
    }
    case 'page':
      if (!inStep('accounts') || cb.page > pageCount(draft) || cb.page === draft.page) return 'invalid';
      draft.page = cb.page;
      return;
    case 'allHealthy': {
      if (!inStep('accounts')) return 'invalid';
      const healthy = draft.accounts.filter((a) => a.healthy).map((a) => a.id);
      if (healthy.length === 0) return 'noHealthy';
      // A second tap clears what the first one selected.
      const same = healthy.length === draft.selected.size && healthy.every((id) => draft.selected.has(id));
      draft.selected = new Set(same ? [] : healthy);
      return;
    }
    case 'tag': {
      if (!inStep('accounts') || !draft.tags.includes(cb.tag)) return 'invalid';
      const tagged = draft.accounts.filter((a) => a.healthy && a.tags.includes(cb.tag)).map((a) => a.id);
      if (tagged.length === 0) return 'noHealthy';
      // A second tap takes the tag's accounts out again.
      const all = tagged.every((id) => draft.selected.has(id));
      for (const id of tagged) {
        if (all) draft.selected.delete(id);
        else draft.selected.add(id);
      }
      return;
    }
    case 'next':
      if (!inStep('accounts')) return 'invalid';
      if (draft.selected.size === 0) return 'pickSome';
      draft.step = 'preset';
      return;
    case 'preset':
      if (!inStep('preset')) return 'invalid';
      draft.preset = cb.preset;
      draft.step = 'confirm';
      return;
    case 'confirm':
      return inStep('confirm') ? undefined : 'invalid';
    case 'cancel':
      return;
  }
}
