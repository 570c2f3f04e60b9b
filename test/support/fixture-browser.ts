// The fixture site and a headless browser host — what a worker has, one of each per test file —
// started before the file's tests and closed after them. Test files write
// `const { site, host } = useFixtureBrowser()` and use both as the real objects (stand-ins).
import { afterAll, beforeAll } from 'vitest';
import { type BrowserHost, createBrowserHost } from '../../src/warmup/browser.ts';
import { type FixtureOptions, type FixtureSite, startFixtureSite } from './fixture-site.ts';
import { standIn, started } from './stand-in.ts';

export type FixtureBrowser = { site: FixtureSite; host: BrowserHost };

export const quietBrowserLog = { info() {}, warn() {} };

export function useFixtureBrowser(options: FixtureOptions = {}): FixtureBrowser {
  let current: FixtureBrowser | undefined;
  beforeAll(async () => {
    const host = createBrowserHost({ headless: true, log: quietBrowserLog });
    current = { host, site: await startFixtureSite(options) };
  });
  afterAll(async () => {
    await current?.host.close();
    await current?.site.close();
  });
  const now = () => started(current, 'useFixtureBrowser');
  return { site: standIn(() => now().site), host: standIn(() => now().host) };
}
