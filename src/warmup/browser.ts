// The browser host: one Chromium per worker process, launched on first use and relaunched after
// it dies, and a fresh context per account run that is always closed (on success, error or abort).
// It owns what no account may leak: WebRTC only through the proxy, no automation flag, the sandbox.
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { abortable, openAbortable, settleWithin } from './abort.ts';
import { defaultBrowserSearch, findBrowserExecutable } from './browser-executable.ts';
import type { BrowserIdentity } from './identity.ts';
import { userAgentFor } from './identity.ts';
import type { StorageState } from './outcome.ts';

/** Playwright's context, for callers outside src/warmup (which never import Playwright). */
export type { BrowserContext };

/** Flags that work in a container with a closed network (see docs/site-profile.md). */
const BASE_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // navigator.webdriver stays false, by the browser itself rather than a script patching pages.
  '--disable-blink-features=AutomationControlled',
  // WebRTC may use only the context's proxy: no UDP around it, so no ICE candidate carries the
  // worker's own address. Headless reads the first switch, a headed Chrome the second.
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** Chromium's sandbox cannot start as root; anywhere else it stays on. */
export function launchArgs(options: { root: boolean }): string[] {
  return options.root ? ['--no-sandbox', ...BASE_ARGS] : [...BASE_ARGS];
}

export const runsAsRoot = (): boolean => process.getuid?.() === 0;

const CONTEXT_CLOSE_TIMEOUT_MS = 5000;

export type HostLog = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
};

export type ContextOptions = {
  storageState?: StorageState;
  proxy?: { server: string; username?: string; password?: string };
  locale?: string;
  viewport?: { width: number; height: number };
  /** The account's stored identity; wins over locale and viewport. */
  identity?: BrowserIdentity;
  signal: AbortSignal;
};

export type BrowserHost = {
  /** Runs fn in a fresh context and always closes it; rejects as soon as the signal fires. */
  withContext<T>(options: ContextOptions, fn: (context: BrowserContext) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export function createBrowserHost(options: {
  executablePath?: string;
  headless: boolean;
  log: HostLog;
  /** Whether the worker runs as root (default: asked of the process). */
  root?: boolean;
}): BrowserHost {
  const { log } = options;
  let current: Browser | null = null;
  let launching: Promise<Browser> | null = null;
  let closed = false;

  async function launch(): Promise<Browser> {
    const executablePath =
      options.executablePath ?? (await findBrowserExecutable(defaultBrowserSearch({}))).path;
    const browser = await chromium.launch({
      executablePath,
      headless: options.headless,
      args: launchArgs({ root: options.root ?? runsAsRoot() }),
      // Our shutdown decides when the browser closes (after the grace period), not Playwright's
      // own signal handlers, which would close it the instant SIGTERM arrives.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    browser.on('disconnected', () => {
      if (current === browser) current = null;
      if (!closed) log.warn({ executablePath }, 'browser disconnected; the next run relaunches it');
    });
    log.info({ executablePath, version: browser.version() }, 'browser launched');
    return browser;
  }

  function getBrowser(): Promise<Browser> {
    if (closed) return Promise.reject(new Error('the browser host is closed'));
    if (current?.isConnected()) return Promise.resolve(current);
    launching ??= launch()
      .then((browser) => {
        current = browser;
        return browser;
      })
      .finally(() => {
        launching = null;
      });
    return launching;
  }

  return {
    async withContext(contextOptions, fn) {
      const { signal, storageState, proxy, identity } = contextOptions;
      signal.throwIfAborted();
      const browser = await abortable(getBrowser(), signal);
      const context = await openAbortable(
        browser.newContext({
          storageState,
          proxy,
          locale: identity?.locale ?? contextOptions.locale,
          viewport: identity?.viewport ?? contextOptions.viewport,
          // Playwright ties Accept-Language and navigator.languages to the locale.
          ...(identity
            ? {
                screen: identity.screen,
                deviceScaleFactor: identity.deviceScaleFactor,
                timezoneId: identity.timezoneId,
                userAgent: identity.userAgent ?? userAgentFor(browser.version()),
              }
            : {}),
        }),
        signal,
      );
      try {
        return await abortable(fn(context), signal);
      } finally {
        if (!(await settleWithin(context.close(), CONTEXT_CLOSE_TIMEOUT_MS))) {
          log.warn({ timeoutMs: CONTEXT_CLOSE_TIMEOUT_MS }, 'browser context did not close in time');
        }
      }
    },

    async close() {
      closed = true;
      const browser = current ?? (await launching?.catch(() => null)) ?? null;
      current = null;
      if (browser) await settleWithin(browser.close(), 10_000);
    },
  };
}
