// Interruptions as data: the profile's `dismiss` rules ("choose your interests", an ads-choice
// dialog, a cookie banner), checked after every load and step; each one shown is clicked away
// and logged. A rule that does not go away is tried a few times per session, then left alone.
import type { Page } from 'playwright-core';
import { poll } from './abort.ts';
import type { createPageOps } from './page-ops.ts';
import type { SiteProfile } from './site-profile.ts';

type PageOps = ReturnType<typeof createPageOps>;

/** Clicks of one rule per session: a dialog that keeps coming back is not clicked forever. */
const MAX_CLICKS_PER_RULE = 5;
const GONE_TIMEOUT_MS = 3000;

export function createDismisser(deps: {
  page: Page;
  profile: SiteProfile;
  ops: PageOps;
  signal: AbortSignal;
  log: (line: string) => void;
}): () => Promise<void> {
  const { profile, ops, signal, log } = deps;
  const clicks = profile.dismiss.map(() => 0);
  return async function dismissInterruptions() {
    for (const [index, rule] of profile.dismiss.entries()) {
      if ((clicks[index] ?? 0) >= MAX_CLICKS_PER_RULE) continue;
      if (!(await ops.anyVisible(rule.when))) continue;
      clicks[index] = (clicks[index] ?? 0) + 1;
      const button = await ops.mostVisible(rule.click);
      if (!button) {
        log(`"${rule.name}" is shown, but dismiss.${index}.click matched nothing visible`);
        continue;
      }
      await ops.guard(button.click({ timeout: 5000 }));
      const gone = await poll(async () => ((await ops.anyVisible(rule.when)) ? null : true), {
        timeoutMs: GONE_TIMEOUT_MS,
        intervalMs: 100,
        signal,
      });
      log(gone ? `dismissed "${rule.name}"` : `clicked to dismiss "${rule.name}", but it is still shown`);
      if ((clicks[index] ?? 0) >= MAX_CLICKS_PER_RULE)
        log(`"${rule.name}" came back ${MAX_CLICKS_PER_RULE} times; no more clicks on it this session`);
    }
  };
}
