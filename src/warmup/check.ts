// The pre-flight check of an account: open the start URL in the given context (the account's
// proxy and saved login), and say whether it loaded and which state the page shows — logged in,
// logged out, captcha, blocked — with a screenshot. It dismisses dialogs but engages with nothing.
import type { BrowserContext, Page } from 'playwright-core';
import { openAbortable, poll, settleWithin } from './abort.ts';
import { createFeedMoves } from './feed-moves.ts';
import { createDismisser } from './interruptions.ts';
import { classifyError, type FailureReason, WarmupFailure } from './outcome.ts';
import { createPageOps } from './page-ops.ts';
import type { SiteProfile } from './site-profile.ts';

export type CheckState = 'logged_in' | 'logged_out' | 'captcha' | 'blocked' | 'unknown';

export type CheckResult =
  | {
      /** The start URL loaded through the proxy. */
      reachable: true;
      state: CheckState;
      /** One sentence for the operator: what the page showed. */
      message: string;
      url: string;
      screenshot: Buffer | null;
    }
  | {
      reachable: false;
      reason: FailureReason;
      message: string;
      screenshot: Buffer | null;
    };

export type CheckInput = {
  context: BrowserContext;
  profile: SiteProfile;
  signal: AbortSignal;
  log?: (line: string) => void;
};

// With the 30 s navigation bound and a context launch, the answer comes within a minute.
const SETTLE_TIMEOUT_MS = 15_000;

export async function checkAccount(input: CheckInput): Promise<CheckResult> {
  const { context, profile, signal } = input;
  const log = input.log ?? (() => {});
  let page: Page | null = null;
  try {
    signal.throwIfAborted();
    page = await openAbortable(context.newPage(), signal);
    const opened = page;
    const ops = createPageOps(opened, profile, signal);
    await createFeedMoves(opened, profile, ops, signal).goto(profile.startUrl);
    log(`opened ${profile.startUrl}`);
    const { selectors } = profile;
    const signs = [selectors.loggedIn, selectors.loggedOut, selectors.captcha, selectors.blocked]
      .concat(profile.dismiss.map((rule) => rule.when))
      .filter((s): s is string => s !== undefined);
    // Wait for a sign either way; the feed alone is not one (it shows to logged-out visitors too).
    await poll(
      async () => {
        if (ops.onMarkerPath()) return true;
        for (const sign of signs) if (await ops.anyVisible(sign)) return true;
        return null;
      },
      { timeoutMs: SETTLE_TIMEOUT_MS, signal },
    );
    await createDismisser({ page: opened, profile, ops, signal, log })();
    const verdict = await readState(ops, profile);
    log(`check: ${verdict.state}: ${verdict.message}`);
    return { reachable: true, ...verdict, url: opened.url(), screenshot: await screenshot(opened) };
  } catch (err) {
    if (signal.aborted) throw err;
    const { reason, message } = classifyError(err, signal);
    log(`check failed (${reason}): ${message}`);
    return { reachable: false, reason, message, screenshot: page ? await screenshot(page) : null };
  } finally {
    if (page) await settleWithin(page.close(), 1000);
  }
}

async function readState(
  ops: ReturnType<typeof createPageOps>,
  profile: SiteProfile,
): Promise<{ state: CheckState; message: string }> {
  try {
    await ops.checkMarkers();
  } catch (err) {
    if (!(err instanceof WarmupFailure)) throw err;
    if (err.reason === 'logged_out' || err.reason === 'captcha' || err.reason === 'blocked')
      return { state: err.reason, message: err.message };
    throw err;
  }
  const loggedIn = profile.selectors.loggedIn;
  if (loggedIn && (await ops.anyVisible(loggedIn)))
    return { state: 'logged_in', message: 'the logged-in marker (selectors.loggedIn) is visible' };
  return {
    state: 'unknown',
    message: loggedIn
      ? 'neither the logged-in marker nor a logged-out, captcha or blocked marker is visible'
      : 'no logged-out, captcha or blocked marker is visible; the profile has no selectors.loggedIn to confirm a login',
  };
}

async function screenshot(page: Page): Promise<Buffer | null> {
  const shot = page.screenshot({ type: 'png', timeout: 5000 });
  try {
    return await shot;
  } catch {
    return null;
  }
}
