// Engaging with the current item the way the site needs it: like and follow are toggles (never
// clicked when already on; one click per item, verified when the profile can tell), and comments
// are typed as keystrokes with human delays, posted only once the submit control is enabled.
import type { ElementHandle, Page } from 'playwright-core';
import { poll, sleep } from './abort.ts';
import type { createPageOps } from './page-ops.ts';
import type { Random } from './random.ts';
import type { SiteProfile } from './site-profile.ts';

type PageOps = ReturnType<typeof createPageOps>;

/**
 * What a toggle found or did. `on`: clicked and the state selector now matches (or the control
 * went away, as a follow button does). `clicked`: clicked, but the profile has no state selector
 * to verify it. `already`: it was on; not clicked. `missing`: no control in view. `unchanged`:
 * clicked once, and it did not turn on; not clicked again on this item.
 */
export type ToggleResult = 'on' | 'clicked' | 'already' | 'missing' | 'unchanged';

/** How long a toggle may take to show its new state (the site waits for its API). */
const VERIFY_TIMEOUT_MS = 3000;
/** How long the submit control may stay disabled after the last keystroke. */
const SUBMIT_ENABLE_TIMEOUT_MS = 5000;
/** Pause between keystrokes (ms), and the longer one after a word. */
const KEY_DELAY_MS = { min: 45, max: 150 };
const WORD_PAUSE_MS = { min: 120, max: 380 };

export type Toggle = 'like' | 'follow';

export function createEngagement(deps: {
  page: Page;
  profile: SiteProfile;
  ops: PageOps;
  random: Random;
  signal: AbortSignal;
  log: (line: string) => void;
}) {
  const { page, profile, ops, random, signal, log } = deps;
  const activeOf = (kind: Toggle) => profile.selectors[kind === 'like' ? 'likeActive' : 'followActive'];

  const isOn = async (control: ElementHandle, kind: Toggle) => {
    const active = activeOf(kind);
    return active !== undefined && (await ops.relates(control, active, true));
  };

  /** The current item's follow control (the one most in view), if any. */
  async function followHandle(): Promise<ElementHandle | null> {
    const found = await ops.mostVisibleInItem(profile.selectors.follow);
    return found ? ops.guard(found.elementHandle()) : null;
  }

  /** Whether the current item shows selectors.commentsOff (its comments are turned off). */
  async function commentsAreOff(): Promise<boolean> {
    const off = profile.selectors.commentsOff;
    if (!off) return false;
    const scope = await ops.currentScope();
    if (!scope) return false;
    try {
      return await ops.relates(scope, off, false);
    } finally {
      await scope.dispose().catch(() => {});
    }
  }

  /** The toggle's control in view, and whether it is already on; nothing is clicked. */
  async function inspect(kind: Toggle): Promise<{ control: ElementHandle | null; on: boolean }> {
    const control =
      kind === 'like'
        ? await ops.guard((await ops.requireInItem('like')).elementHandle())
        : await followHandle();
    return { control, on: control ? await isOn(control, kind) : false };
  }

  /** Clicks the control once and waits for the site to show it on. */
  async function switchOn(control: ElementHandle, kind: Toggle): Promise<ToggleResult> {
    await ops.guard(control.click());
    if (activeOf(kind) === undefined) return 'clicked';
    const on = await poll(
      async () => {
        const connected = await ops.guard(control.evaluate((el) => el.isConnected));
        return !connected || (await isOn(control, kind)) ? true : null;
      },
      { timeoutMs: VERIFY_TIMEOUT_MS, intervalMs: 100, signal },
    );
    return on ? 'on' : 'unchanged';
  }

  /** Types like a person: one key at a time, uneven delays, a longer pause between words. */
  async function typeText(text: string): Promise<void> {
    for (const char of text) {
      await ops.guard(page.keyboard.type(char));
      const pause = char === ' ' ? WORD_PAUSE_MS : KEY_DELAY_MS;
      await sleep(random.int(pause.min, pause.max), signal);
    }
  }

  /**
   * Opens the comment box, types the text and posts it once `beforePost` said yes (the run records
   * it first): `posted`; `not_posted` (logged) when the submit control stays disabled; `refused`
   * when `beforePost` said no; `off` when the item shows selectors.commentsOff (nothing typed).
   */
  async function comment(
    text: string,
    beforePost: () => Promise<boolean>,
  ): Promise<'posted' | 'not_posted' | 'refused' | 'off'> {
    if (await commentsAreOff()) return 'off';
    if (profile.selectors.commentOpen) await ops.guard((await ops.requireInItem('commentOpen')).click());
    await ops.guard((await ops.require('commentInput')).click());
    // Whatever an earlier, unposted comment left in the box must not become part of this one.
    await ops.guard(page.keyboard.press('ControlOrMeta+A'));
    await ops.guard(page.keyboard.press('Backspace'));
    await typeText(text);
    const submit = await ops.require('commentSubmit');
    if (!(await ops.waitUntilEnabled(submit, SUBMIT_ENABLE_TIMEOUT_MS))) {
      log(
        `comment not posted: selectors.commentSubmit stayed disabled ${SUBMIT_ENABLE_TIMEOUT_MS / 1000} s after typing "${text}"`,
      );
      return 'not_posted';
    }
    if (!(await beforePost())) return 'refused';
    await ops.guard(submit.click());
    return 'posted';
  }

  return { inspect, switchOn, comment };
}
