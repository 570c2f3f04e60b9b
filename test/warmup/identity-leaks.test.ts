// Each account looks like one steady person and leaks nothing: two accounts with identities chosen
// as /account_add chooses them, three sessions each through the runner's context options, against
// the fixture's probe page (webdriver, user agent, languages, timezone, ICE candidates); and a
// proxied context whose names only the proxy can resolve.
import { describe, expect, it } from 'vitest';
import { findAccount, insertAccount } from '../../src/db/accounts-repo.ts';
import { accountContextOptions } from '../../src/jobs/warmup-runner.ts';
import { chooseIdentity } from '../../src/tasks/account-identity.ts';
import { launchArgs } from '../../src/warmup/browser.ts';
import { useTestDatabase } from '../support/db.ts';
import { useFixtureBrowser } from '../support/fixture-browser.ts';
import type { ProbeReport } from '../support/fixture-site.ts';
import { startForwardProxy } from '../support/forward-proxy.ts';

const database = useTestDatabase();
const { site, host } = useFixtureBrowser();

/** One session of the account: a fresh context as the runner builds it, one visit of /probe. */
async function probeSession(
  accountId: number,
  url: string,
  proxy?: { server: string },
): Promise<ProbeReport> {
  const { db } = database();
  const account = await findAccount(db, accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  const before = site.probes.length;
  const options = accountContextOptions({ ...account, storageState: site.storageStateFor(account.username) });
  await host.withContext(
    { ...options, ...(proxy ? { proxy } : {}), signal: AbortSignal.timeout(30_000) },
    async (context) => {
      const page = await context.newPage();
      await page.goto(url);
      await site.stats.waitFor(() => site.probes.length > before, 20_000, 'the probe report');
    },
  );
  return site.probes[before]!;
}

/** Everything of a report that belongs to the identity (the candidates aside). */
const identityOf = (r: ProbeReport) => {
  const { candidates: _, ...rest } = r.page;
  return { ...rest, headers: r.headers };
};

describe('identities and leaks', () => {
  it('keeps each account one steady identity over three sessions, different from the other, with no leak', async () => {
    const { db } = database();
    const ids: number[] = [];
    for (const [username, country] of [
      ['steady_alice', 'DE'],
      ['steady_bob', 'US'],
    ] as const) {
      const identity = await chooseIdentity(db, { country });
      const row = await insertAccount(db, { username, identity });
      ids.push(row!.id);
    }
    const reports = new Map<number, ProbeReport[]>();
    for (let session = 0; session < 3; session++) {
      for (const id of ids) {
        reports.set(id, [...(reports.get(id) ?? []), await probeSession(id, `${site.url}/probe`)]);
      }
    }
    const [alice, bob] = ids.map((id) => reports.get(id)!);
    for (const runs of [alice!, bob!]) {
      expect(new Set(runs.map((r) => JSON.stringify(identityOf(r)))).size).toBe(1);
      for (const r of runs) {
        expect(r.page.webdriver).toBe(false);
        expect(r.page.userAgent).not.toContain('Headless');
        expect(r.headers.userAgent).toBe(r.page.userAgent);
        expect(r.headers.acceptLanguage).toBe(r.page.languages.join(','));
        // No host (nor reflexive) candidate: WebRTC may not go around the proxy.
        expect(r.page.candidates.filter((c) => / typ (host|srflx|prflx)\b/.test(c))).toEqual([]);
      }
    }
    expect(identityOf(alice![0]!)).not.toEqual(identityOf(bob![0]!));
    expect(alice![0]!.page.timezone).toBe('Europe/Berlin');
    expect(alice![0]!.page.languages[0]).toMatch(/^de-/);
    expect(bob![0]!.page.timezone).toMatch(/^America\//);
    // The user agent claims the Chromium that answers.
    const stored = await findAccount(db, ids[0]!);
    expect(stored?.identity).toMatchObject({ country: 'DE', locale: alice![0]!.page.languages[0] });
  });

  it('sends names to the proxy to resolve: a name only the proxy knows loads', async () => {
    const { db } = database();
    const proxy = await startForwardProxy(site.url);
    try {
      const row = await insertAccount(db, { username: 'proxied_carol', identity: await chooseIdentity(db) });
      const report = await probeSession(row!.id, 'http://only-the-proxy-knows.invalid/probe', {
        server: proxy.url,
      });
      expect(proxy.hosts).toContain('only-the-proxy-knows.invalid');
      expect(report.page.webdriver).toBe(false);
      expect(report.page.candidates.filter((c) => / typ (host|srflx|prflx)\b/.test(c))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('turns the sandbox off only for root', () => {
    expect(launchArgs({ root: true })).toContain('--no-sandbox');
    expect(launchArgs({ root: false })).not.toContain('--no-sandbox');
    expect(launchArgs({ root: false })).toContain('--disable-blink-features=AutomationControlled');
  });
});
