// The pre-flight check in real Chromium against the fixture site: it reports reachability, the
// state the page shows (logged in, logged out, captcha, blocked) with a screenshot, and does
// nothing on the site beyond loading it (and dismissing a dialog).
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ContextOptions } from '../../src/warmup/browser.ts';
import { type CheckResult, checkAccount } from '../../src/warmup/check.ts';
import { parseSiteProfile, type SiteProfile } from '../../src/warmup/site-profile.ts';
import { useFixtureBrowser } from '../support/fixture-browser.ts';
import { PNG_MAGIC } from './helpers.ts';

const { site, host } = useFixtureBrowser({ dialogOnFirstLoad: true });

async function check(
  account: string,
  options: { profile?: SiteProfile; proxy?: ContextOptions['proxy'] } = {},
): Promise<{ result: CheckResult; log: string[] }> {
  const log: string[] = [];
  const signal = new AbortController().signal;
  const result = await host.withContext(
    {
      signal,
      storageState: site.storageStateFor(account),
      ...(options.proxy ? { proxy: options.proxy } : {}),
    },
    (context) =>
      checkAccount({ context, profile: options.profile ?? site.profile, signal, log: (l) => log.push(l) }),
  );
  return { result, log };
}

const isPng = (shot: Buffer | null) => shot?.subarray(0, 8).equals(PNG_MAGIC) === true;

describe('checkAccount', () => {
  it('reports a reachable, logged-in account with a screenshot, and engages with nothing', async () => {
    const { result, log } = await check('alice');
    expect(result).toMatchObject({ reachable: true, state: 'logged_in' });
    expect(isPng(result.screenshot)).toBe(true);
    expect(log).toContain('dismissed "choose your interests"');
    const server = site.stats.account('alice');
    expect(server).toMatchObject({ likes: [], follows: [], comments: [], searches: [] });
  });

  it.each([
    ['logged_out', 'logged_out'],
    ['captcha', 'captcha'],
    ['blocked', 'blocked'],
  ] as const)('reports a %s page as %s', async (state, expected) => {
    const account = `check-${state}`;
    site.accountState(account, state);
    const { result } = await check(account);
    expect(result).toMatchObject({ reachable: true, state: expected });
    expect(isPng(result.screenshot)).toBe(true);
  });

  it('says "unknown" when no marker shows and the profile has no logged-in marker', async () => {
    const { loggedIn: _, ...selectors } = site.profile.selectors;
    const profile = parseSiteProfile({ ...site.profile, selectors });
    const { result } = await check('no-marker', { profile });
    expect(result).toMatchObject({ reachable: true, state: 'unknown' });
    expect(result.reachable && result.message).toMatch(/no selectors.loggedIn/);
  });

  it('reports an unreachable proxy as proxy_error', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const { result } = await check('proxied', { proxy: { server: `http://127.0.0.1:${port}` } });
    expect(result).toMatchObject({ reachable: false, reason: 'proxy_error' });
  });
});
