// A platform's own warmup numbers, from its site profile's `warmup` section: the knob ranges its
// sessions default to, what each preset means there, the ramp it suggests and its daily action
// caps; and how a task's stored settings become one account's settings (settingsForPlatform).
// The precedence is written out in docs/site-profile.md ("Per-platform warmup numbers").
import { z } from 'zod';
import {
  defaultSettings,
  isPresetName,
  PRESET_NAMES,
  type PresetName,
  presets,
  type Range,
  type WarmupSettings,
  warmupSettingsSchema,
} from './settings.ts';

/** The knobs a platform may set: counts, times and pauses (not parallel, keywords or comments). */
export const PLATFORM_KNOBS = [
  'scrolls',
  'videos',
  'watchSeconds',
  'likes',
  'follows',
  'comments',
  'delaySeconds',
  'sessionCapSeconds',
] as const;
export type PlatformKnob = (typeof PLATFORM_KNOBS)[number];

const shape = warmupSettingsSchema.shape;
const knobOverrides = z
  .strictObject({
    scrolls: shape.scrolls,
    videos: shape.videos,
    watchSeconds: shape.watchSeconds,
    likes: shape.likes,
    follows: shape.follows,
    comments: shape.comments,
    delaySeconds: shape.delaySeconds,
    sessionCapSeconds: shape.sessionCapSeconds,
  })
  .partial();
export type KnobOverrides = z.infer<typeof knobOverrides>;

const ACTIONS = ['likes', 'follows', 'comments'] as const;
type Action = (typeof ACTIONS)[number];
export type ActionCounts = Record<Action, number>;

const cap = z.int('must be a whole number').min(0, 'must be 0 or more').max(10_000, 'must be at most 10000');

export const platformWarmupSchema = z
  .strictObject({
    /** Replace the product's defaults for this platform's accounts. */
    defaults: knobOverrides.optional(),
    /** Per preset, replace what the preset means on this platform. */
    presets: z.partialRecord(z.enum(PRESET_NAMES), knobOverrides).optional(),
    /** The ramp a programme of this platform's accounts is suggested (docs; /plan ramp=…). */
    ramp: z
      .array(z.strictObject({ preset: z.enum(PRESET_NAMES), days: z.int().min(1).max(60) }))
      .min(1)
      .optional(),
    /** At most this many of each action per account in any 24 hours, across sessions. */
    dailyCaps: z.strictObject({ likes: cap, follows: cap, comments: cap }).partial().optional(),
  })
  .check((ctx) => {
    // Every preset, as this platform layers it, must still be a valid whole.
    for (const preset of [undefined, ...PRESET_NAMES]) {
      const layered = warmupSettingsSchema.safeParse(layer(ctx.value, preset ?? null));
      for (const issue of layered.success ? [] : layered.error.issues)
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          path: preset ? ['presets', preset, ...issue.path] : ['defaults', ...issue.path],
          message: issue.message,
        });
    }
  });
export type PlatformWarmup = z.infer<typeof platformWarmupSchema>;

/** How a task's settings were made: the preset it named and the knobs typed on top of it. */
export type SettingsBasis = { preset: PresetName | null; set: PlatformKnob[] };

const basisSchema = z.strictObject({
  preset: z.enum(PRESET_NAMES).nullable(),
  set: z.array(z.enum(PLATFORM_KNOBS)),
});

/** The basis of settings made from `preset` and `overrides` (stored with the task as `basis`). */
export function settingsBasis(preset: string | undefined, overrides: object = {}): SettingsBasis {
  const typed = Object.entries(overrides).filter(([, v]) => v !== undefined);
  return {
    preset: preset !== undefined && isPresetName(preset) ? preset : null,
    set: PLATFORM_KNOBS.filter((k) => typed.some(([key]) => key === k)),
  };
}

/** The knobs a product preset changes from the product defaults (observer: videos, the actions). */
function presetChanges(preset: PresetName | null): KnobOverrides {
  if (!preset) return {};
  const chosen = presets[preset];
  return Object.fromEntries(
    PLATFORM_KNOBS.filter((k) => JSON.stringify(chosen[k]) !== JSON.stringify(defaultSettings[k])).map(
      (k) => [k, chosen[k]],
    ),
  );
}

/** Product defaults < platform defaults < the product preset's own changes < the platform's preset. */
function layer(warmup: PlatformWarmup | undefined, preset: PresetName | null): WarmupSettings {
  return {
    ...defaultSettings,
    ...warmup?.defaults,
    ...presetChanges(preset),
    ...(preset ? warmup?.presets?.[preset] : undefined),
  };
}

/**
 * One account's settings from its task's: every knob the task's creator typed wins; every other
 * knob the platform names (in its defaults or its version of the task's preset) is the platform's
 * layering of the task's preset. A task stored without a basis
 * (before platforms) is taken as stored. The platform may shorten the session cap, never lengthen
 * it (the job's expiry was set from the task's). Non-platform knobs (parallel, keywords, comment
 * templates) are always the task's.
 */
export function settingsForPlatform(
  stored: WarmupSettings,
  basis: unknown,
  warmup: PlatformWarmup | undefined,
): WarmupSettings {
  const parsed = basisSchema.safeParse(basis);
  if (!parsed.success || !warmup) return stored;
  const { preset } = parsed.data;
  const layered = layer(warmup, preset);
  const out: WarmupSettings = { ...stored };
  const set = new Set<PlatformKnob>(parsed.data.set);
  // Only what the platform speaks of: every other knob is already the product's, as stored.
  const named = new Set(Object.keys({ ...warmup.defaults, ...(preset ? warmup.presets?.[preset] : {}) }));
  for (const knob of PLATFORM_KNOBS)
    if (!set.has(knob) && named.has(knob)) Object.assign(out, { [knob]: layered[knob] });
  out.sessionCapSeconds = Math.min(out.sessionCapSeconds, stored.sessionCapSeconds);
  // A platform's action minimum must not outgrow the task's own videos (the planner needs room).
  for (const action of ACTIONS) {
    if (set.has(action)) continue;
    const min = Math.min(out[action].min, out.videos.max);
    out[action] = { min, max: Math.max(min, out[action].max) };
  }
  const checked = warmupSettingsSchema.safeParse(out);
  return checked.success ? checked.data : stored;
}

/**
 * The settings with each capped action's range cut to what is left of its daily cap, given what
 * was done in the last 24 hours; and one log line per cut (none when nothing was cut).
 */
export function applyDailyCaps(
  settings: WarmupSettings,
  caps: PlatformWarmup['dailyCaps'],
  done: ActionCounts,
): { settings: WarmupSettings; notes: string[] } {
  const out: WarmupSettings = { ...settings };
  const notes: string[] = [];
  for (const action of ACTIONS) {
    const limit = caps?.[action];
    if (limit === undefined) continue;
    const left = Math.max(0, limit - (done[action] ?? 0));
    if (settings[action].max <= left) continue;
    out[action] = { min: Math.min(settings[action].min, left), max: left } satisfies Range;
    notes.push(
      `daily cap: ${action} at most ${limit} in 24 h, ${done[action] ?? 0} done: at most ${left} this session`,
    );
  }
  return { settings: out, notes };
}
