// The real SessionRunner with real Chromium against the fixture site: a saved login the browser
// refuses (a cookie Playwright rejects, stored before uploads were validated) ends the run
// session_unreadable, not retried — rather than a retryable browser_crashed on every attempt.
import { expect, it } from 'vitest';
import { createWarmupRunner } from '../../src/jobs/warmup-runner.ts';
import { useFixtureBrowser } from '../support/fixture-browser.ts';
import { testLog } from '../support/jobs.ts';
import { quickSettings } from '../support/quick-settings.ts';

const { site, host } = useFixtureBrowser();

it('a saved login the browser refuses ends session_unreadable, not retryable', async () => {
  const runner = createWarmupRunner({ host, profile: site.profile, log: testLog });
  const good = site.storageStateFor('refused');
  const storageState = { ...good, cookies: good.cookies.map((c) => ({ ...c, expires: -5 })) };
  const outcome = await runner({
    account: {
      id: 1,
      username: 'refused',
      proxyUrl: null,
      locale: null,
      identity: null,
      browser: 'local',
      browserProfile: null,
      storageState,
    },
    settings: quickSettings(),
    signal: new AbortController().signal,
    log: () => {},
    onProgress: () => {},
  });
  expect(outcome).toMatchObject({
    status: 'failed',
    reason: 'session_unreadable',
    message: 'the browser refused the saved login; send it again',
    retryable: false,
  });
}, 60_000);
