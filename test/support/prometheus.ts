// A strict parser of the Prometheus text exposition format (0.0.4) for tests: every line must be
// a HELP, a TYPE or a sample of a declared family; names, labels, escapes and values are checked;
// a family's samples are contiguous and unique; histogram buckets are cumulative and end in +Inf.
export type Sample = { name: string; labels: Record<string, string>; value: number };
export type Family = { name: string; type: string; help: string; samples: Sample[] };

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const VALUE = /^([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|[-+]Inf|NaN)$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export function parsePrometheus(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  let current: Family | undefined;
  const fail = (n: number, why: string, line: string): never => {
    throw new Error(`metrics line ${n + 1}: ${why}: ${JSON.stringify(line)}`);
  };
  if (!text.endsWith('\n')) throw new Error('metrics text must end with a newline');
  for (const [n, line] of text.slice(0, -1).split('\n').entries()) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (!NAME.test(name)) fail(n, 'bad metric name', line);
      let family = families.get(name);
      if (family && family !== current) fail(n, 'family declared twice', line);
      if (!family) {
        family = { name, type: 'untyped', help: '', samples: [] };
        families.set(name, family);
      }
      if (family.samples.length > 0) fail(n, 'HELP/TYPE after samples', line);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) fail(n, 'unknown type', line);
        family.type = rest;
      } else family.help = rest;
      current = family;
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = parseSample(line) ?? fail(n, 'malformed sample', line);
    if (!current || !(SUFFIXES[current.type] ?? ['']).some((s) => sample.name === current!.name + s))
      fail(n, 'sample outside its declared family', line);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) fail(n, 'duplicate series', line);
    seen.add(key);
    current!.samples.push(sample);
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function parseSample(line: string): Sample | undefined {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
  if (!m) return undefined;
  const labels: Record<string, string> = {};
  let rest = m[3] ?? '';
  while (rest.length > 0) {
    const l = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
    if (!l || !LABEL.test(l[1]!) || l[1]! in labels) return undefined;
    labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(l[0].length);
    if (l[3] === ',' && rest.length === 0) return undefined;
  }
  const raw = m[4]!;
  if (!VALUE.test(raw)) return undefined;
  const value = raw.endsWith('Inf') ? (raw.startsWith('-') ? -Infinity : Infinity) : Number(raw);
  return { name: m[1]!, labels, value };
}

/** Per label set (le aside): buckets ascend in le and in count, +Inf is last and equals _count. */
function checkHistogram(family: Family) {
  const groups = new Map<string, { le: number; value: number }[]>();
  const counts = new Map<string, number>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${s.name}: bucket without le`);
      groups.set(key, [
        ...(groups.get(key) ?? []),
        { le: le === '+Inf' ? Infinity : Number(le), value: s.value },
      ]);
    } else if (s.name.endsWith('_count')) counts.set(key, s.value);
  }
  for (const [key, buckets] of groups) {
    for (let i = 1; i < buckets.length; i++) {
      if (!(buckets[i]!.le > buckets[i - 1]!.le) || buckets[i]!.value < buckets[i - 1]!.value)
        throw new Error(`${family.name}${key}: buckets are not cumulative`);
    }
    const last = buckets.at(-1)!;
    if (last.le !== Infinity || last.value !== counts.get(key))
      throw new Error(`${family.name}${key}: the +Inf bucket must be last and equal _count`);
  }
}

/** The value of one series, or undefined when it is not there. */
export function seriesValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const family of families.values()) {
    for (const s of family.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
}
