// The layout rules (scripts/layout.biome.json, part of `npm run lint` and `npm run check:layout`)
// can fail: each is run by Biome with the project's configuration over a small tree that breaks it
// once, and over one that keeps every arrow pointing down.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIOME = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Lints `files` (path → source) with the project's rules; the diagnostics as `file rule` lines. */
async function lint(files: Record<string, string>): Promise<{ code: number; found: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'warmup-layout-'));
  dirs.push(dir);
  // The project's configuration, minus its git integration (the tree is no repository).
  const config = JSON.parse(await readFile(path.join(ROOT, 'biome.json'), 'utf8'));
  delete config.vcs;
  delete config.$schema;
  await writeFile(path.join(dir, 'biome.json'), JSON.stringify(config));
  await mkdir(path.join(dir, 'scripts'));
  await cp(path.join(ROOT, 'scripts/layout.biome.json'), path.join(dir, 'scripts/layout.biome.json'));
  for (const [file, source] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), source);
  }
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIOME, 'lint', '--reporter=github', '--max-diagnostics=none', 'src'],
      { cwd: dir },
      (err, stdout) => {
        const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
        if (err && typeof (err as { code?: unknown }).code !== 'number') return reject(err);
        const found = [...stdout.matchAll(/^::error title=([^,]+),file=([^,]+),/gm)].map(
          (m) => `${path.relative(dir, m[2]!)} ${m[1]}`,
        );
        resolve({ code, found });
      },
    );
  });
}

const fn = (name: string, bodyLines: number) =>
  `export function ${name}(): number {\n  let n = 0;\n${'  n += 1;\n'.repeat(bodyLines - 2)}  return n;\n}\n`;

describe('the layout rules', () => {
  it('pass a tree whose arrows all point down', async () => {
    const run = await lint({
      'src/db/repo.ts': `import { eq } from 'drizzle-orm';\nexport const q = eq;\n`,
      'src/warmup/providers/p.ts': `import { a } from '../abort.ts';\nexport const p = a;\n`,
      'src/warmup/abort.ts': 'export const a = 1;\n',
      'src/tasks/use.ts': `import { q } from '../db/repo.ts';\nimport { a } from '../warmup/abort.ts';\nexport const u = [q, a];\n`,
      'src/jobs/job.ts': `import { u } from '../tasks/use.ts';\nexport const j = u;\n`,
      'src/bot/shared/text.ts': `import { t } from '../i18n/en.ts';\nexport const s = t;\n`,
      'src/bot/i18n/en.ts': 'export const t = 1;\n',
      'src/bot/commands/tasks/card.ts': `import { s } from '../../shared/text.ts';\nimport { u } from '../../../tasks/use.ts';\nexport const c = [s, u];\n`,
      'src/bot/wiring.ts': `import { c } from './commands/tasks/card.ts';\nexport const w = c;\n`,
      'src/long.ts': fn('holdable', 80),
    });
    expect(run).toEqual({ code: 0, found: [] });
  });

  it('fail on an import cycle, a type-only one included', async () => {
    const run = await lint({
      'src/tasks/a.ts': `import { b } from './b.ts';\nexport const a = () => b;\n`,
      'src/tasks/b.ts': `import { a } from './a.ts';\nexport const b = () => a;\n`,
      'src/tasks/c.ts': `import type { D } from './d.ts';\nexport type C = { d?: D };\n`,
      'src/tasks/d.ts': `import type { C } from './c.ts';\nexport type D = { c?: C };\n`,
    });
    expect(run.code).not.toBe(0);
    expect(run.found).toEqual(
      expect.arrayContaining([
        'src/tasks/a.ts lint/suspicious/noImportCycles',
        'src/tasks/c.ts lint/suspicious/noImportCycles',
      ]),
    );
  });

  const imports = (spec: string) => `import { x } from '${spec}';\nexport const y = x;\n`;
  type Case = { rule: string; files: Record<string, string>; flagged: string[] };
  it.each<Case>([
    {
      rule: 'drizzle-orm outside src/db',
      files: {
        'src/tasks/q.ts': imports('drizzle-orm'),
        'src/jobs/q.ts': imports('drizzle-orm/pg-core'),
      },
      flagged: ['src/jobs/q.ts', 'src/tasks/q.ts'],
    },
    {
      rule: 'an import from src/bot into src/tasks, src/db or src/warmup, and any import of main.ts',
      files: {
        'src/bot/format.ts': 'export const x = 1;\n',
        'src/main.ts': 'export const x = 1;\n',
        'src/tasks/t.ts': imports('../bot/format.ts'),
        'src/db/d.ts': imports('../bot/format.ts'),
        'src/warmup/providers/w.ts': imports('../../bot/format.ts'),
        'src/jobs/j.ts': imports('../main.ts'),
      },
      flagged: ['src/db/d.ts', 'src/jobs/j.ts', 'src/tasks/t.ts', 'src/warmup/providers/w.ts'],
    },
    {
      rule: 'an import of a folder of src by a top-level module (config, logger, …)',
      files: {
        'src/http/h.ts': 'export const x = 1;\n',
        'src/warmup/w.ts': 'export const x = 1;\n',
        'src/logger.ts': 'export const x = 1;\n',
        'src/config.ts': imports('./http/h.ts'),
        'src/shutdown.ts': imports('./warmup/w.ts'),
        'src/safe-error.ts': imports('./logger.ts'),
      },
      flagged: ['src/config.ts', 'src/shutdown.ts'],
    },
    {
      rule: 'an arrow that climbs inside src/bot',
      files: {
        'src/bot/commands/quarantine/notice.ts': 'export const x = 1;\n',
        'src/bot/commands/summary/send.ts': 'export const x = 1;\n',
        'src/bot/shared/format.ts': imports('../commands/quarantine/notice.ts'),
        'src/bot/notifications/notifier.ts': imports('../commands/quarantine/notice.ts'),
        'src/bot/commands/context.ts': imports('./summary/send.ts'),
        'src/bot/i18n/en.ts': imports('../shared/format.ts'),
      },
      flagged: [
        'src/bot/commands/context.ts',
        'src/bot/i18n/en.ts',
        'src/bot/notifications/notifier.ts',
        'src/bot/shared/format.ts',
      ],
    },
  ])('fail on $rule', async ({ files, flagged }) => {
    const run = await lint(files);
    expect(run.found.sort()).toEqual(flagged.map((file) => `${file} lint/style/noRestrictedImports`));
  });

  it('fail on a function of more than 80 lines in src', async () => {
    const run = await lint({ 'src/jobs/long.ts': fn('tooLong', 81) });
    expect(run.found).toEqual(['src/jobs/long.ts lint/complexity/noExcessiveLinesPerFunction']);
  });
});
