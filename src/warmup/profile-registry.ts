// The site profiles a deployment knows, by platform name: the built-ins (profiles/*.json), the
// files of WARMUP_SITE_PROFILES (each naming itself; one may replace a built-in of its name), and
// WARMUP_SITE_PROFILE, the default for accounts that name none (a file, as before, or a name).
// Every file is validated here, once, at start; a wrong one is one line naming the file and field.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSiteProfile, type SiteProfile, SiteProfileError } from './site-profile.ts';

/** The profiles that ship with the product; the first is the default when nothing else is set. */
export const BUILT_IN_PLATFORMS = ['tiktok', 'instagram', 'youtube'] as const;

const BUILT_IN_DIR = fileURLToPath(new URL('./profiles/', import.meta.url));

export type SiteProfiles = {
  /** Every known platform name, sorted. */
  names: readonly string[];
  /** The platform of an account that names none. */
  defaultName: string;
  /** Where each profile came from: `built in` or its file. */
  sources: Readonly<Record<string, string>>;
  get(name: string): SiteProfile | undefined;
  /** The profile of an account's platform (null: the default); undefined when none is known here. */
  forPlatform(platform: string | null | undefined): SiteProfile | undefined;
  all(): SiteProfile[];
};

/** A registry of the given profiles (tests, benches, a single profile); the first is the default. */
export function siteProfilesOf(
  profiles: readonly SiteProfile[],
  defaultName = profiles[0]?.name,
  sources: Record<string, string> = {},
): SiteProfiles {
  const byName = new Map(profiles.map((p) => [p.name, p]));
  if (defaultName === undefined || !byName.has(defaultName))
    throw new SiteProfileError(`no site profile named "${defaultName}" to be the default`);
  return {
    names: [...byName.keys()].sort(),
    defaultName,
    sources,
    get: (name) => byName.get(name.toLowerCase()),
    forPlatform: (platform) => byName.get((platform ?? defaultName).toLowerCase()),
    all: () => [...byName.values()],
  };
}

export type LoadOptions = {
  /** WARMUP_SITE_PROFILES: a directory of profile JSON files. */
  directory?: string;
  /** WARMUP_SITE_PROFILE: a profile file (a path: has a slash or ends in .json), or a known name. */
  defaultProfile?: string;
  /** The built-ins' directory (tests). */
  builtInDirectory?: string;
};

/** Reads and validates every profile; throws a SiteProfileError whose message is one line. */
export async function loadSiteProfiles(options: LoadOptions = {}): Promise<SiteProfiles> {
  const found = new Map<string, { profile: SiteProfile; source: string }>();
  for (const file of await jsonFiles(options.builtInDirectory ?? BUILT_IN_DIR)) {
    const profile = await loadSiteProfile(file);
    found.set(profile.name, { profile, source: 'built in' });
  }
  const fromDirectory = new Map<string, string>();
  for (const file of options.directory ? await jsonFiles(options.directory) : []) {
    const profile = await loadSiteProfile(file);
    const earlier = fromDirectory.get(profile.name);
    if (earlier) throw sameName(profile.name, earlier, file);
    fromDirectory.set(profile.name, file);
    found.set(profile.name, { profile, source: file });
  }
  let defaultName: string = BUILT_IN_PLATFORMS[0];
  const given = options.defaultProfile?.trim();
  if (given && isPath(given)) {
    const profile = await loadSiteProfile(given);
    const earlier = fromDirectory.get(profile.name);
    if (earlier && path.resolve(earlier) !== path.resolve(given))
      throw sameName(profile.name, earlier, given);
    found.set(profile.name, { profile, source: earlier ?? given });
    defaultName = profile.name;
  } else if (given) {
    defaultName = given.toLowerCase();
    if (!found.has(defaultName))
      throw new SiteProfileError(
        `WARMUP_SITE_PROFILE names "${given}", which is no known site profile: ${[...found.keys()].sort().join(', ')}`,
      );
  }
  const sources = Object.fromEntries([...found].map(([name, f]) => [name, f.source]));
  return siteProfilesOf(
    [...found.values()].map((f) => f.profile),
    defaultName,
    sources,
  );
}

/** A path rather than a name: it has a directory part or a .json ending. */
function isPath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || value.toLowerCase().endsWith('.json');
}

function sameName(name: string, first: string, second: string): SiteProfileError {
  return new SiteProfileError(
    `site profiles ${first} and ${second} both name themselves "${name}": rename one (its "name" field)`,
  );
}

async function jsonFiles(directory: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch (err) {
    throw new SiteProfileError(
      `site profile directory ${directory} could not be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err },
    );
  }
  return entries
    .filter((name) => name.toLowerCase().endsWith('.json'))
    .sort()
    .map((name) => path.join(directory, name));
}
