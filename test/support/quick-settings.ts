// Warmup settings that keep a session short and predictable: no delays, no watching time, no
// skims, no likes/follows/comments, no search — each test or bench turns on what it measures.
import { resolveSettings, type WarmupSettings } from '../../src/warmup/settings.ts';

export const range = (min: number, max = min) => ({ min, max });

export function quickSettings(overrides: Partial<WarmupSettings> = {}): WarmupSettings {
  return resolveSettings(undefined, {
    scrolls: range(0),
    videos: range(2),
    watchSeconds: range(0),
    likes: range(0),
    follows: range(0),
    comments: range(0),
    delaySeconds: range(0),
    ...overrides,
  });
}
