// What the fixture site recorded, per account: views, likes, follows, comments, searches, and
// the browser tabs (sessions) open at once, with waitFor() so that tests wait on state, not time.
import { EventEmitter } from 'node:events';
import { checkSynchronous } from './sync-predicate.ts';

export type AccountRecord = {
  views: string[];
  likes: string[];
  follows: string[];
  /** A like or follow clicked again: the toggle turned off (what the engine must never do). */
  unlikes: string[];
  unfollows: string[];
  /** Dialogs clicked away. */
  dismissals: string[];
  comments: Array<{ item: string; text: string }>;
  searches: string[];
  /** Every page served, with the markup it was rendered in (an account sees only its own). */
  pages: Array<{ path: string; markup: string }>;
  /** Reels markup: clicks on a comment's heart, and on "Turn On" notifications (never wanted). */
  commentLikes: string[];
  notificationsOn: string[];
};

export type FixtureStats = ReturnType<typeof createStats>;

export function createStats() {
  const events = new EventEmitter();
  const records = new Map<string, AccountRecord>();
  const tabs = new Map<string, Map<string, number>>(); // account → tab → open presence streams
  const maxima = new Map<string, number>();
  const seen = new Map<string, Set<string>>(); // account → every tab id it ever opened
  let maxTotal = 0;
  const changed = () => events.emit('change');
  const record = (account: string) => {
    const existing = records.get(account);
    if (existing) return existing;
    const created: AccountRecord = {
      views: [],
      likes: [],
      follows: [],
      unlikes: [],
      unfollows: [],
      dismissals: [],
      comments: [],
      searches: [],
      pages: [],
      commentLikes: [],
      notificationsOn: [],
    };
    records.set(account, created);
    return created;
  };
  const openSessions = (account: string) => tabs.get(account)?.size ?? 0;
  const openTotal = () => [...tabs.values()].reduce((sum, t) => sum + t.size, 0);
  return {
    record,
    /** A copy of what the server recorded for the account. */
    account: (name: string): AccountRecord => structuredClone(record(name)),
    changed,
    openSessions,
    openTotal,
    maxConcurrent: (account: string) => maxima.get(account) ?? 0,
    /** How many tabs of the account have opened so far (each session opens one). */
    opened: (account: string) => seen.get(account)?.size ?? 0,
    get maxConcurrentTotal() {
      return maxTotal;
    },
    presenceOpened(account: string, tab: string) {
      const accountTabs = tabs.get(account) ?? new Map<string, number>();
      tabs.set(account, accountTabs.set(tab, (accountTabs.get(tab) ?? 0) + 1));
      seen.set(account, (seen.get(account) ?? new Set<string>()).add(tab));
      maxima.set(account, Math.max(maxima.get(account) ?? 0, openSessions(account)));
      maxTotal = Math.max(maxTotal, openTotal());
      changed();
    },
    presenceClosed(account: string, tab: string) {
      const accountTabs = tabs.get(account);
      const left = (accountTabs?.get(tab) ?? 1) - 1;
      if (left > 0) accountTabs?.set(tab, left);
      else accountTabs?.delete(tab);
      changed();
    },
    onChange(listener: () => void): () => void {
      events.on('change', listener);
      return () => events.off('change', listener);
    },
    /** Resolves once predicate() holds, re-checked on every change; rejects after timeoutMs. */
    waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'a fixture condition'): Promise<void> {
      if (checkSynchronous(predicate(), 'fixture site waitFor', what)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('change', check);
          reject(new Error(`fixture site: timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        function check() {
          if (!predicate()) return;
          clearTimeout(timer);
          events.off('change', check);
          resolve();
        }
        events.on('change', check);
      });
    },
  };
}
