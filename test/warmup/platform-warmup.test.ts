// A platform's own numbers: the precedence from a task's settings to one account's (typed knobs
// win; else the platform's layering of the task's preset), what the built-ins say, and the daily caps.
import { describe, expect, it } from 'vitest';
import {
  applyDailyCaps,
  type PlatformWarmup,
  settingsBasis,
  settingsForPlatform,
} from '../../src/warmup/platform-warmup.ts';
import { loadSiteProfiles } from '../../src/warmup/profile-registry.ts';
import { defaultSettings, presets, resolveSettings } from '../../src/warmup/settings.ts';

const r = (min: number, max = min) => ({ min, max });

const platform: PlatformWarmup = {
  defaults: {
    watchSeconds: r(5, 20),
    likes: r(1, 4),
    comments: r(0),
    delaySeconds: r(30, 90),
    sessionCapSeconds: 1200,
  },
  presets: { light: { likes: r(1, 2), follows: r(0) } },
};

describe('settingsForPlatform', () => {
  it('gives an untouched default task the platform’s defaults', () => {
    const stored = resolveSettings(undefined);
    const out = settingsForPlatform(stored, settingsBasis(undefined), platform);
    expect(out).toMatchObject({
      watchSeconds: r(5, 20),
      likes: r(1, 4),
      comments: r(0),
      delaySeconds: r(30, 90),
    });
    expect(out.sessionCapSeconds).toBe(1200);
    // What the platform does not set stays the product's.
    expect(out.videos).toEqual(defaultSettings.videos);
  });

  it('layers a preset: product defaults < platform defaults < the preset’s own changes < the platform’s preset', () => {
    const light = settingsForPlatform(resolveSettings('light'), settingsBasis('light'), platform);
    expect(light.likes).toEqual(r(1, 2)); // the platform's light
    expect(light.follows).toEqual(r(0)); // the platform's light
    expect(light.videos).toEqual(presets.light.videos); // the product's light changes videos
    expect(light.watchSeconds).toEqual(r(5, 20)); // the platform's defaults, light leaves it
    // observer's "no actions" is the preset's own change: the platform's default likes do not undo it.
    const observer = settingsForPlatform(resolveSettings('observer'), settingsBasis('observer'), platform);
    expect(observer.likes).toEqual(r(0));
  });

  it('keeps every knob the task’s creator typed, and the task’s keywords and templates', () => {
    const overrides = { likes: r(6, 8), searchKeywords: ['cats'], commentTemplates: ['wow'] };
    const stored = resolveSettings('light', overrides);
    const out = settingsForPlatform(stored, settingsBasis('light', overrides), platform);
    expect(out.likes).toEqual(r(6, 8));
    expect(out.follows).toEqual(r(0));
    expect(out).toMatchObject({ searchKeywords: ['cats'], commentTemplates: ['wow'] });
  });

  it('takes a task without a basis (made before platforms) as stored; never lengthens the cap', () => {
    const stored = resolveSettings(undefined);
    expect(settingsForPlatform(stored, undefined, platform)).toEqual(stored);
    expect(settingsForPlatform(stored, settingsBasis(undefined), undefined)).toEqual(stored);
    const long = { defaults: { sessionCapSeconds: 9000 } };
    expect(settingsForPlatform(stored, settingsBasis(undefined), long).sessionCapSeconds).toBe(1800);
  });

  it('fits the platform’s action minimum into the videos the task typed', () => {
    const overrides = { videos: r(1) };
    const stored = resolveSettings(undefined, {
      ...overrides,
      likes: r(0, 1),
      follows: r(0),
      comments: r(0),
    });
    const basis = settingsBasis(undefined, overrides);
    const out = settingsForPlatform(stored, basis, { defaults: { likes: r(2, 4) } });
    expect(out.videos).toEqual(r(1));
    expect(out.likes).toEqual(r(1, 4));
  });

  it('uses the built-in Instagram and YouTube numbers; TikTok keeps today’s', async () => {
    const profiles = await loadSiteProfiles();
    const basis = settingsBasis('active');
    const stored = resolveSettings('active');
    const instagram = settingsForPlatform(stored, basis, profiles.get('instagram')?.warmup);
    expect(instagram).toMatchObject({
      likes: r(3, 6),
      follows: r(0, 2),
      comments: r(0, 1),
      delaySeconds: r(30, 90),
    });
    const youtube = settingsForPlatform(stored, basis, profiles.get('youtube')?.warmup);
    expect(youtube).toMatchObject({ likes: r(3, 8), follows: r(0, 1), watchSeconds: r(10, 45) });
    expect(profiles.get('tiktok')?.warmup).toBeUndefined();
    expect(settingsForPlatform(stored, basis, profiles.get('tiktok')?.warmup)).toEqual(stored);
    expect(profiles.get('instagram')?.warmup?.dailyCaps).toEqual({ likes: 12, follows: 4, comments: 2 });
  });
});

describe('applyDailyCaps', () => {
  it('cuts each capped action to what is left of the last 24 h, and says so', () => {
    const settings = resolveSettings(undefined);
    const { settings: out, notes } = applyDailyCaps(
      settings,
      { likes: 12, follows: 4 },
      { likes: 10, follows: 6, comments: 9 },
    );
    expect(out.likes).toEqual(r(2));
    expect(out.follows).toEqual(r(0));
    expect(out.comments).toEqual(settings.comments); // not capped
    expect(notes).toEqual([
      'daily cap: likes at most 12 in 24 h, 10 done: at most 2 this session',
      'daily cap: follows at most 4 in 24 h, 6 done: at most 0 this session',
    ]);
    expect(applyDailyCaps(settings, { likes: 100 }, { likes: 0, follows: 0, comments: 0 }).notes).toEqual([]);
  });
});
