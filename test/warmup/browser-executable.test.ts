// Finding a Chromium without downloads: the order of the four ways, and an error naming all four
// when none is there. The search inputs are arguments, so nothing needs uninstalling.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type BrowserSearch,
  defaultBrowserSearch,
  findBrowserExecutable,
} from '../../src/warmup/browser-executable.ts';

const existing = process.execPath; // any file that exists stands in for a browser here
const missing = '/nonexistent/chrome';
const none: BrowserSearch = {
  settingPath: undefined,
  playwrightPath: missing,
  systemPaths: ['/nonexistent/chromium'],
  packaged: async () => undefined,
};

describe('findBrowserExecutable', () => {
  it('with every option removed, the error names all four ways to provide one', async () => {
    for (const packaged of [async () => undefined, async () => Promise.reject(new Error('no package'))]) {
      const error = await findBrowserExecutable({ ...none, packaged }).catch((err: Error) => err);
      expect(error).toBeInstanceOf(Error);
      const { message } = error as Error;
      expect(message).toContain('BROWSER_EXECUTABLE_PATH');
      expect(message).toContain("Playwright's Chromium");
      expect(message).toContain('apt-get install chromium');
      expect(message).toContain('@sparticuz/chromium');
    }
  });

  it('takes BROWSER_EXECUTABLE_PATH first, and insists that it exists', async () => {
    const all = {
      ...none,
      playwrightPath: existing,
      systemPaths: [existing],
      packaged: async () => existing,
    };
    expect(await findBrowserExecutable({ ...all, settingPath: existing })).toEqual({
      path: existing,
      source: 'setting',
    });
    await expect(findBrowserExecutable({ ...all, settingPath: missing })).rejects.toThrow(
      `BROWSER_EXECUTABLE_PATH is set to ${missing}, but there is no file there`,
    );
  });

  it("then Playwright's Chromium, then a system Chromium, then the npm package", async () => {
    const packaged = async () => existing;
    expect(
      await findBrowserExecutable({ ...none, playwrightPath: existing, systemPaths: [existing], packaged }),
    ).toEqual({ path: existing, source: 'playwright' });
    expect(await findBrowserExecutable({ ...none, systemPaths: [missing, existing], packaged })).toEqual({
      path: existing,
      source: 'system',
    });
    expect(await findBrowserExecutable({ ...none, packaged })).toEqual({ path: existing, source: 'package' });
  });

  it('finds a browser on this machine with the default search', async () => {
    const search = defaultBrowserSearch({});
    expect(search.settingPath).toBeUndefined();
    expect(defaultBrowserSearch({ BROWSER_EXECUTABLE_PATH: ' /x/chrome ' }).settingPath).toBe('/x/chrome');
    // Skip the package in this check: unpacking it writes ~190 MB to /tmp.
    const found = await findBrowserExecutable({ ...search, packaged: async () => undefined });
    expect(existsSync(found.path)).toBe(true);
  });
});
