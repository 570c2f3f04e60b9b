// The platform an account warms on, as typed (`platform=instagram`) and as shown. The known names
// are the site profiles main.ts loaded (BotDeps.platforms); without them, the built-in ones.
import { BUILT_IN_PLATFORMS } from '../../warmup/profile-registry.ts';

export type Platforms = { names: readonly string[]; defaultName: string };

const BUILT_IN: Platforms = { names: [...BUILT_IN_PLATFORMS].sort(), defaultName: BUILT_IN_PLATFORMS[0] };

export function platformsOf(deps: { platforms?: Platforms }): Platforms {
  return deps.platforms ?? BUILT_IN;
}

/** The words without a `platform=…` among them, and its value (undefined when there is none). */
export function takePlatformArg(words: readonly string[]): { rest: string[]; value: string | undefined } {
  const at = words.findIndex((w) => w.toLowerCase().startsWith('platform='));
  if (at < 0) return { rest: [...words], value: undefined };
  return { rest: words.filter((_, i) => i !== at), value: words[at]!.slice('platform='.length) };
}

/**
 * A typed platform → what is stored: a known name (lower case), or null for `none` (the
 * deployment's default); undefined when it is no known platform.
 */
export function readPlatform(value: string, platforms: Platforms): string | null | undefined {
  const name = value.trim().toLowerCase();
  if (name === 'none') return null;
  return platforms.names.includes(name) ? name : undefined;
}

/** The platform an account warms on, by name: its own, or the default's. */
export function platformName(platform: string | null | undefined, platforms: Platforms): string {
  return platform ?? platforms.defaultName;
}
