// The browser host: a fresh context per run with the account's saved login, locale and viewport,
// always closed (after success, error or abort), and a browser that is relaunched when it dies.
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useFixtureBrowser } from '../support/fixture-browser.ts';
import { createTestHost } from './helpers.ts';

const { site, host } = useFixtureBrowser();

const live = () => new AbortController().signal;

function watchClose(context: BrowserContext): () => boolean {
  let closed = false;
  context.on('close', () => {
    closed = true;
  });
  return () => closed;
}

describe('createBrowserHost', () => {
  it('gives each run a fresh context with its saved login, locale and viewport, then closes it', async () => {
    let isClosed = () => false;
    const seen = await host.withContext(
      {
        signal: live(),
        storageState: site.storageStateFor('host-alice'),
        locale: 'ru-RU',
        viewport: { width: 800, height: 600 },
      },
      async (context) => {
        isClosed = watchClose(context);
        const page = await context.newPage();
        await page.goto(site.profile.startUrl);
        return page.evaluate('[navigator.language, innerWidth, innerHeight, document.cookie]');
      },
    );
    expect(seen).toEqual(['ru-RU', 800, 600, 'acct=host-alice']);
    expect(isClosed()).toBe(true);
    await site.stats.waitFor(() => site.stats.openSessions('host-alice') === 0, 5000, 'the page to go away');
  });

  it('closes the context when the run throws, and passes the error on', async () => {
    let isClosed = () => false;
    const failure = new Error('boom');
    await expect(
      host.withContext({ signal: live() }, async (context) => {
        isClosed = watchClose(context);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(isClosed()).toBe(true);
  });

  it('on abort, rejects at once and closes the context even if the run ignores the signal', async () => {
    const controller = new AbortController();
    let isClosed = () => false;
    const running = host.withContext(
      { signal: controller.signal, storageState: site.storageStateFor('host-bob') },
      async (context) => {
        isClosed = watchClose(context);
        const page = await context.newPage();
        await page.goto(site.profile.startUrl);
        await new Promise(() => {}); // never settles
      },
    );
    await site.stats.waitFor(() => site.stats.openSessions('host-bob') === 1, 10_000, 'the page to open');
    const abortedAt = Date.now();
    controller.abort();
    await expect(running).rejects.toThrow(/abort/i);
    // It must not wait for the run, which never settles: tens of milliseconds here (bench/abort-latency.ts);
    // 10 s leaves room for a loaded 2-core machine and still fails a close that waits on anything.
    expect(Date.now() - abortedAt).toBeLessThan(10_000);
    expect(isClosed()).toBe(true);
    await site.stats.waitFor(() => site.stats.openSessions('host-bob') === 0, 5000, 'the page to go away');
    await expect(host.withContext({ signal: AbortSignal.abort() }, async () => 1)).rejects.toThrow(/abort/i);
  });

  it('relaunches the browser after it dies', async () => {
    await host.withContext({ signal: live() }, async (context) => {
      await context.browser()?.close(); // the browser goes away under the host
    });
    const version = await host.withContext({ signal: live() }, async (context) =>
      context.browser()?.version(),
    );
    expect(version).toMatch(/^\d+\./);
  });

  it('refuses new runs once closed', async () => {
    const other = createTestHost();
    await other.withContext({ signal: live() }, async () => {});
    await other.close();
    await expect(other.withContext({ signal: live() }, async () => {})).rejects.toThrow('closed');
  });
});
