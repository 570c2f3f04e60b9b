// The `cdp` browser: a full warmup in an anti-detect profile that a fake Dolphin Anty local API
// starts (a real Chromium with a DevTools port) — the profile is stopped after success, failure
// and cancel; an unreachable provider, a missing and a busy profile end the run with their reason.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionAccount, SessionRunInput } from '../../src/jobs/session-runner.ts';
import { createWarmupRunner } from '../../src/jobs/warmup-runner.ts';
import { createLogger } from '../../src/logger.ts';
import { createBrowserHost } from '../../src/warmup/browser.ts';
import { createDolphinProvider } from '../../src/warmup/providers/dolphin.ts';
import { startFakeProfileProvider } from '../support/fake-profile-provider.ts';
import { type FixtureSite, startFixtureSite } from '../support/fixture-site.ts';
import { quickSettings, range } from '../support/quick-settings.ts';

const log = createLogger({ level: 'warn', format: 'json', destination: new PassThrough().resume() });
const quiet = { info() {}, warn() {} };
const host = createBrowserHost({ headless: true, log: quiet });
let site: FixtureSite;
let provider: Awaited<ReturnType<typeof startFakeProfileProvider>>;

beforeAll(async () => {
  site = await startFixtureSite();
  provider = await startFakeProfileProvider(['p-ok', 'p-fail', 'p-cancel', 'p-busy']);
});
afterAll(async () => {
  await provider?.close();
  await host.close();
  await site?.close();
});

function runnerAt(baseUrl: string) {
  const dolphin = createDolphinProvider({ baseUrl, log: quiet });
  return createWarmupRunner({ host, profile: site.profile, log, providers: { dolphin } });
}

function input(
  username: string,
  profileId: string,
  overrides: Partial<SessionRunInput> = {},
): SessionRunInput {
  const account: SessionAccount = {
    id: 1,
    username,
    proxyUrl: null,
    locale: null,
    identity: null,
    browser: 'cdp',
    // The fixture knows an account by its cookie: our saved login goes in because we ask.
    browserProfile: { provider: 'dolphin', profileId, injectLogin: true },
    storageState: site.storageStateFor(username),
  };
  return {
    account,
    settings: quickSettings(),
    signal: new AbortController().signal,
    log: () => {},
    onProgress: () => {},
    ...overrides,
  };
}

describe('the cdp browser provider', () => {
  it('runs a full warmup in the started profile, then stops it', async () => {
    const outcome = await runnerAt(provider.url)(input('cdp_alice', 'p-ok'));
    expect(outcome).toMatchObject({ status: 'completed', counters: { itemsViewed: 2 } });
    expect(site.stats.account('cdp_alice').views.length).toBeGreaterThanOrEqual(2);
    expect(provider.starts).toContain('p-ok');
    expect(provider.stops).toContain('p-ok');
    expect(provider.running()).toEqual([]);
  });

  it('leaves the profile its own cookies: our saved login neither goes in nor is overwritten unless asked', async () => {
    const plain = input('cdp_erin', 'p-ok');
    plain.account.browserProfile = { provider: 'dolphin', profileId: 'p-ok' };
    const outcome = await runnerAt(provider.url)(plain);
    expect(outcome.status).toBe('completed');
    expect(outcome).not.toHaveProperty('storageState');
    expect(site.stats.account('cdp_erin').views).toEqual([]);
    expect(provider.running()).toEqual([]);
  });

  it('puts our saved login in for a profile stored before it had that word (injectSession)', async () => {
    const older = input('cdp_dora', 'p-ok');
    older.account.browserProfile = { provider: 'dolphin', profileId: 'p-ok', injectSession: true };
    const outcome = await runnerAt(provider.url)(older);
    expect(outcome).toMatchObject({ status: 'completed', counters: { itemsViewed: 2 } });
    expect(site.stats.account('cdp_dora').views.length).toBeGreaterThanOrEqual(2);
  });

  it('stops the profile after a failure', async () => {
    site.accountState('cdp_bob', 'captcha');
    const outcome = await runnerAt(provider.url)(input('cdp_bob', 'p-fail'));
    expect(outcome).toMatchObject({ status: 'failed', reason: 'captcha' });
    expect(provider.stops).toContain('p-fail');
    expect(provider.running()).toEqual([]);
  });

  it('stops the profile after a cancel', async () => {
    const stop = new AbortController();
    const outcome = await runnerAt(provider.url)(
      input('cdp_carol', 'p-cancel', {
        settings: quickSettings({ videos: range(50) }),
        signal: stop.signal,
        onProgress: (counters) => {
          if ((counters.itemsViewed ?? 0) >= 1) stop.abort();
        },
      }),
    );
    expect(outcome).toMatchObject({ status: 'failed', reason: 'cancelled', retryable: false });
    expect(provider.stops).toContain('p-cancel');
    expect(provider.running()).toEqual([]);
  });

  it.each([
    ['an unreachable provider', 'http://127.0.0.1:9', 'p-ok', 'provider_unreachable', true],
    ['a profile the provider does not have', undefined, 'p-missing', 'profile_not_found', false],
    ['a busy profile', undefined, 'p-busy', 'profile_busy', true],
  ] as const)('ends the run with its reason for %s', async (_what, baseUrl, profileId, reason, retryable) => {
    provider.markBusy('p-busy');
    const outcome = await runnerAt(baseUrl ?? provider.url)(input('cdp_dave', profileId));
    expect(outcome).toMatchObject({ status: 'failed', reason, retryable });
    expect(site.stats.account('cdp_dave').views).toEqual([]);
  });
});
