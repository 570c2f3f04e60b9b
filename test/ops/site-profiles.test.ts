// Site profiles at start, in a real src/main.ts process: a profile file with a wrong field stops
// the start with one line naming the file and the field (before anything else starts); a good
// directory adds its platforms, one replacing a built-in by name, and a worker verifies every
// profile's selectors in its browser before it runs.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { startMain, useSiteForMain } from '../support/main-process.ts';

const database = useTestDatabase();
const fixture = useSiteForMain('site-profiles');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'warmup-profiles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function profilesDir(name: string, files: Record<string, unknown>): Promise<string> {
  const at = path.join(dir, name);
  await mkdir(at, { recursive: true });
  for (const [file, data] of Object.entries(files))
    await writeFile(path.join(at, file), JSON.stringify(data));
  return at;
}

const env = (extra: Record<string, string>) => ({
  ROLE: 'worker',
  DATA_DIR: path.join(dir, 'data'),
  LOG_LEVEL: 'info',
  ...extra,
});

it('a profile file with a wrong field stops the start with one line naming the file and the field', async () => {
  const { profile } = fixture().site;
  const at = await profilesDir('bad', {
    'reels.json': fixture().site.profiles.reels,
    'broken.json': { ...profile, name: 'broken', selectors: { ...profile.selectors, like: 'div[' } },
  });
  const main = startMain(env({ WARMUP_SITE_PROFILES: at }));
  expect(await main.exited).toBe(1);
  expect(main.stderrText().trim()).toBe(
    `site profile ${path.join(at, 'broken.json')} is invalid: selectors.like: invalid selector "div[": unclosed "["`,
  );
  // Stopped before anything started: no database, no browser.
  expect(main.output()).not.toMatch(/embedded Postgres|browser found/);
}, 60_000);

it('WARMUP_SITE_PROFILE naming no known profile stops the start with one line', async () => {
  const main = startMain(env({ WARMUP_SITE_PROFILE: 'myspace' }));
  expect(await main.exited).toBe(1);
  expect(main.stderrText().trim()).toBe(
    'WARMUP_SITE_PROFILE names "myspace", which is no known site profile: instagram, tiktok, youtube',
  );
}, 60_000);

it('a good directory adds its platforms; the worker verifies every profile in its browser and runs', async () => {
  const { site, profilePath } = fixture();
  const at = await profilesDir('good', {
    'reels.json': site.profiles.reels,
    'tiktok.json': { ...site.profile, name: 'tiktok' },
  });
  const main = startMain(
    env({
      DATABASE_URL: database().url,
      WARMUP_SITE_PROFILES: at,
      WARMUP_SITE_PROFILE: profilePath,
      SHUTDOWN_GRACE_SECONDS: '2',
    }),
  );
  const line = await main.waitForLog(/^site profiles: /);
  expect(line.msg).toBe('site profiles: fixture, fixture-reels, instagram, tiktok, youtube');
  expect(line).toMatchObject({
    default: 'fixture',
    platforms: { tiktok: path.join(at, 'tiktok.json'), instagram: 'built in', fixture: profilePath },
  });
  await main.waitForLog(/^warmup-bot running$/);
  main.child.kill('SIGTERM');
  expect(await main.exited).toBe(0);
}, 90_000);
