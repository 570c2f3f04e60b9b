// Daily windows: local wall-clock intervals `10:00-13:00,18:00-22:30` as minutes after midnight,
// each inside one day (until may be 24:00), sorted, never overlapping.

export type Window = { from: number; until: number };

export type WindowsProblem = { code: 'badWindow'; value: string } | { code: 'overlap'; a: string; b: string };

const TIME_RE = /^([01]?\d|2[0-4])[:.]([0-5]\d)$/;

function readTime(text: string): number | undefined {
  const m = TIME_RE.exec(text.trim());
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : undefined;
}

/** "10:00-13:00,18:00-22:30" → sorted windows, or the first problem. */
export function parseWindows(text: string): Window[] | WindowsProblem {
  const windows: (Window & { text: string })[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const parts = item.split(/-|–|—/);
    const from = parts.length === 2 ? readTime(parts[0]!) : undefined;
    const until = parts.length === 2 ? readTime(parts[1]!) : undefined;
    if (from === undefined || until === undefined || from >= until || from === 1440) {
      return { code: 'badWindow', value: item };
    }
    windows.push({ from, until, text: item });
  }
  windows.sort((a, b) => a.from - b.from);
  for (let i = 1; i < windows.length; i++) {
    const prev = windows[i - 1]!;
    const cur = windows[i]!;
    if (cur.from < prev.until) return { code: 'overlap', a: prev.text, b: cur.text };
  }
  return windows.map(({ from, until }) => ({ from, until }));
}

/** Whether `sessions` sessions at least `gap` minutes apart fit the windows' total length. */
export function windowsHold(windows: readonly Window[], sessions: number, gap: number): boolean {
  const total = windows.reduce((sum, w) => sum + (w.until - w.from), 0);
  return total - (sessions - 1) * gap >= 1;
}
