// Warmup settings: defaults from the baseline, presets, overrides, validation messages that name
// the field, and parsing a range typed in the bot.
import { describe, expect, it } from 'vitest';
import {
  defaultSettings,
  PRESET_NAMES,
  parseRange,
  presets,
  resolveSettings,
  SettingsError,
  warmupSettingsSchema,
} from '../../src/warmup/settings.ts';

describe('warmup settings', () => {
  it('defaults are the baseline knobs of DOMAIN.md and pass the schema', () => {
    expect(warmupSettingsSchema.parse(defaultSettings)).toEqual(defaultSettings);
    expect(defaultSettings).toMatchObject({
      scrolls: { min: 5, max: 15 },
      videos: { min: 5, max: 20 },
      watchSeconds: { min: 15, max: 35 },
      likes: { min: 3, max: 10 },
      follows: { min: 0, max: 5 },
      comments: { min: 0, max: 3 },
      delaySeconds: { min: 15, max: 45 },
      parallel: 1,
      searchKeywords: [],
      sessionCapSeconds: 1800,
    });
    expect(defaultSettings.commentTemplates.length).toBeGreaterThan(0);
  });

  it('every preset is valid, and observer only watches', () => {
    expect(PRESET_NAMES).toEqual(['observer', 'light', 'moderate', 'active']);
    for (const name of PRESET_NAMES) expect(resolveSettings(name, {})).toEqual(presets[name]);
    const observer = presets.observer;
    for (const knob of ['likes', 'follows', 'comments'] as const)
      expect(observer[knob]).toEqual({ min: 0, max: 0 });
    expect(observer.videos.max).toBeGreaterThan(0);
  });

  it('applies overrides on top of the preset and ignores undefined ones', () => {
    const settings = resolveSettings('light', { likes: { min: 2, max: 2 }, follows: undefined, parallel: 3 });
    expect(settings.likes).toEqual({ min: 2, max: 2 });
    expect(settings.follows).toEqual(presets.light.follows);
    expect(settings.parallel).toBe(3);
    expect(resolveSettings(undefined, {})).toEqual(defaultSettings);
  });

  it.each([
    [{ likes: { min: 5, max: 2 } }, 'likes: min (5) is greater than max (2)'],
    [{ likes: { min: 1.5, max: 2 } }, 'likes.min: must be a whole number'],
    [{ watchSeconds: { min: -1, max: 2 } }, 'watchSeconds.min: must be 0 or more'],
    [{ parallel: 5 }, 'parallel: must be at most 4'],
    [{ sessionCapSeconds: 0 }, 'sessionCapSeconds: must be at least 1'],
    [{ commentTemplates: [] }, 'commentTemplates: needs at least one comment'],
    [
      { videos: { min: 1, max: 2 }, likes: { min: 3, max: 4 } },
      'likes: 3 likes need at least 3 videos watched',
    ],
  ])('rejects %j with "%s"', (overrides, message) => {
    expect(() => resolveSettings(undefined, overrides)).toThrow(message);
  });

  it('rejects an unknown preset and unknown fields', () => {
    expect(() => resolveSettings('turbo', {})).toThrow(
      'unknown preset "turbo": choose one of observer, light',
    );
    const error = (() => {
      try {
        resolveSettings(undefined, { speed: 3 } as never);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems.join()).toContain('speed');
  });

  it.each([
    ['5-15', { min: 5, max: 15 }],
    [' 7 ', { min: 7, max: 7 }],
    ['0-0', { min: 0, max: 0 }],
    ['5 – 15', { min: 5, max: 15 }],
    ['2..4', { min: 2, max: 4 }],
  ])('parseRange(%j) is a range', (text, range) => {
    expect(parseRange(text)).toEqual(range);
  });

  it.each([
    ['abc', 'is not a range'],
    ['-3', 'is not a range'],
    ['1-2-3', 'is not a range'],
    ['', 'is not a range'],
    ['15-5', 'must not be larger than the second (try 5-15)'],
  ])('parseRange(%j) explains what to type', (text, message) => {
    const result = parseRange(text);
    expect(typeof result).toBe('string');
    expect(result).toContain(message);
  });
});
