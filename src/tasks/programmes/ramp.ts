// Ramps: the preset of each programme day. A named ramp (`standard`, or one preset name) scales to
// the days asked for; a written sequence (`observer:3,light:4`) is taken as written and its length
// must equal days= when both are given.
import { isPresetName, type PresetName } from '../../warmup/settings.ts';

export type RampPhase = { preset: PresetName; days: number };

/** The shipped ramp: three days watching, four light, three moderate, four active (14 days). */
export const STANDARD_RAMP: readonly RampPhase[] = [
  { preset: 'observer', days: 3 },
  { preset: 'light', days: 4 },
  { preset: 'moderate', days: 3 },
  { preset: 'active', days: 4 },
];

export const NAMED_RAMPS = ['standard'] as const;
export const MAX_DAYS = 60;

export type RampChoice =
  | { kind: 'named'; phases: readonly RampPhase[] }
  | { kind: 'written'; phases: readonly RampPhase[] };

/** `standard`, `light`, or `observer:3,light:4,…`; undefined when it is none of them. */
export function readRamp(text: string): RampChoice | undefined {
  const value = text.trim().toLowerCase();
  if (value === 'standard') return { kind: 'named', phases: STANDARD_RAMP };
  if (isPresetName(value)) return { kind: 'named', phases: [{ preset: value, days: 1 }] };
  const phases: RampPhase[] = [];
  for (const item of value.split(',')) {
    const m = /^([a-z]+):(\d{1,2})$/.exec(item.trim());
    if (!m || !isPresetName(m[1]!) || Number(m[2]) < 1) return undefined;
    phases.push({ preset: m[1], days: Number(m[2]) });
  }
  return phases.length > 0 ? { kind: 'written', phases } : undefined;
}

export function rampLength(phases: readonly RampPhase[]): number {
  return phases.reduce((sum, p) => sum + p.days, 0);
}

/**
 * The phases stretched or shrunk to `days` in proportion (largest remainder, earlier phases first
 * on a tie); a phase that gets no day drops out. standard at 7 days: observer 2, light 2, moderate 1,
 * active 2.
 */
export function scaleRamp(phases: readonly RampPhase[], days: number): RampPhase[] {
  const total = rampLength(phases);
  const exact = phases.map((p) => (p.days * days) / total);
  const out = exact.map(Math.floor);
  let left = days - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return phases.map((p, i) => ({ preset: p.preset, days: out[i] ?? 0 })).filter((p) => p.days > 0);
}

/** One preset per day, day 1 first. */
export function expandRamp(phases: readonly RampPhase[]): PresetName[] {
  return phases.flatMap((p) => Array.from({ length: p.days }, () => p.preset));
}

/** The day list back as phases: ["observer","observer","light"] → observer:2,light:1. */
export function phasesOf(days: readonly string[]): { preset: string; days: number }[] {
  const out: { preset: string; days: number }[] = [];
  for (const preset of days) {
    const last = out[out.length - 1];
    if (last && last.preset === preset) last.days++;
    else out.push({ preset, days: 1 });
  }
  return out;
}

export function describeRamp(days: readonly string[]): string {
  return phasesOf(days)
    .map((p) => `${p.preset}:${p.days}`)
    .join(',');
}
