// Warmup settings: the knobs of DOMAIN.md as a zod schema (every count a { min, max } range),
// the baseline's defaults, the presets, and the parsing of a range typed in the bot ("5-15").
import { z } from 'zod';

export type Range = { min: number; max: number };

const range = (limit: number) => {
  const bound = z
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(limit, `must be at most ${limit}`);
  return z.strictObject({ min: bound, max: bound }).check((ctx) => {
    if (ctx.value.min > ctx.value.max) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `min (${ctx.value.min}) is greater than max (${ctx.value.max})`,
      });
    }
  });
};

const ACTIONS = ['likes', 'follows', 'comments'] as const;

export const warmupSettingsSchema = z
  .strictObject({
    /** Feed items scrolled past after a short glance (not counted as watched). */
    scrolls: range(500),
    /** Feed items watched for watchSeconds each. */
    videos: range(500),
    watchSeconds: range(600),
    likes: range(500),
    follows: range(500),
    comments: range(500),
    /** Pause before each like, follow, comment and search. */
    delaySeconds: range(600),
    parallel: z.int('must be a whole number').min(1, 'must be at least 1').max(4, 'must be at most 4'),
    searchKeywords: z.array(z.string().trim().min(1, 'must not be empty').max(100, 'is too long')).max(50),
    commentTemplates: z
      .array(z.string().trim().min(1, 'must not be empty').max(150, 'is too long'))
      .min(1, 'needs at least one comment'),
    sessionCapSeconds: z
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(14_400, 'must be at most 14400'),
  })
  .check((ctx) => {
    // Each like/follow/comment goes to a different watched item, so the minimum must be reachable.
    for (const action of ACTIONS) {
      const needed = ctx.value[action].min;
      if (needed > ctx.value.videos.max) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          path: [action],
          message: `${needed} ${action} need at least ${needed} videos watched, but videos is at most ${ctx.value.videos.max}`,
        });
      }
    }
  });

export type WarmupSettings = z.infer<typeof warmupSettingsSchema>;

export const defaultSettings: WarmupSettings = {
  scrolls: { min: 5, max: 15 },
  videos: { min: 5, max: 20 },
  watchSeconds: { min: 15, max: 35 },
  likes: { min: 3, max: 10 },
  follows: { min: 0, max: 5 },
  comments: { min: 0, max: 3 },
  delaySeconds: { min: 15, max: 45 },
  parallel: 1,
  searchKeywords: [],
  commentTemplates: ['Nice one!', 'Love this 🔥', 'So good 😄', 'Great video', 'Haha, this is great'],
  sessionCapSeconds: 1800,
};

export const PRESET_NAMES = ['observer', 'light', 'moderate', 'active'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const none: Range = { min: 0, max: 0 };

export const presets: Record<PresetName, WarmupSettings> = {
  observer: { ...defaultSettings, videos: { min: 5, max: 15 }, likes: none, follows: none, comments: none },
  light: {
    ...defaultSettings,
    scrolls: { min: 3, max: 8 },
    videos: { min: 5, max: 10 },
    likes: { min: 1, max: 3 },
    follows: { min: 0, max: 1 },
    comments: none,
  },
  moderate: {
    ...defaultSettings,
    scrolls: { min: 5, max: 10 },
    videos: { min: 10, max: 20 },
    likes: { min: 3, max: 6 },
    follows: { min: 0, max: 2 },
    comments: { min: 0, max: 1 },
  },
  active: {
    ...defaultSettings,
    scrolls: { min: 10, max: 20 },
    videos: { min: 15, max: 30 },
    likes: { min: 6, max: 12 },
    follows: { min: 1, max: 4 },
    comments: { min: 1, max: 3 },
    delaySeconds: { min: 10, max: 30 },
  },
};

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

export class SettingsError extends Error {
  override name = 'SettingsError';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid warmup settings: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** Starts from the preset (or the defaults), applies the overrides, and validates the result. */
export function resolveSettings(
  presetName: string | undefined,
  overrides: Partial<WarmupSettings> = {},
): WarmupSettings {
  if (presetName !== undefined && !isPresetName(presetName)) {
    throw new SettingsError([`unknown preset "${presetName}": choose one of ${PRESET_NAMES.join(', ')}`]);
  }
  const base = presetName ? presets[presetName] : defaultSettings;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const parsed = warmupSettingsSchema.safeParse({ ...base, ...defined });
  if (!parsed.success) {
    throw new SettingsError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`),
    );
  }
  return parsed.data;
}

/** '5-15', '5–15', '5..15' or '7' → a range; anything else → one sentence saying what to type. */
export function parseRange(text: string): Range | string {
  const trimmed = text.trim();
  const match = /^(\d{1,4})(?:\s*(?:-|–|—|\.\.)\s*(\d{1,4}))?$/.exec(trimmed);
  if (!match) return `"${trimmed}" is not a range: write two whole numbers like 5-15, or one number like 7`;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (min > max)
    return `"${trimmed}": the first number must not be larger than the second (try ${max}-${min})`;
  return { min, max };
}
