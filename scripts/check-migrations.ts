// CI check: the committed migrations in drizzle/ match src/db/schema.ts. Generates into a copy
// of drizzle/ and fails when drizzle-kit would write a new migration (or cannot tell).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
// drizzle-kit resolves --out against the working directory, so the copy lives inside the project.
const copy = 'node_modules/.cache/warmup-migration-check';
rmSync(path.join(root, copy), { recursive: true, force: true });
mkdirSync(path.join(root, copy), { recursive: true });
try {
  cpSync(path.join(root, 'drizzle'), path.join(root, copy), { recursive: true });
  const before = readdirSync(path.join(root, copy)).filter((f) => f.endsWith('.sql'));
  const result = spawnSync(
    path.join(root, 'node_modules/.bin/drizzle-kit'),
    ['generate', '--dialect=postgresql', '--schema=./src/db/schema.ts', `--out=./${copy}`],
    { cwd: root, encoding: 'utf8' },
  );
  const output = `${result.stdout}${result.stderr}`;
  const added = readdirSync(path.join(root, copy)).filter((f) => f.endsWith('.sql') && !before.includes(f));
  if (added.length > 0) {
    console.error(
      `src/db/schema.ts and drizzle/ disagree: drizzle-kit would generate ${added.join(', ')}. ` +
        'Run "npm run db:generate" and commit the migration.',
    );
    process.exit(1);
  }
  // drizzle-kit exits 0 even when it fails; only this sentence proves it compared the two.
  if (result.status !== 0 || !output.includes('No schema changes')) {
    console.error(`drizzle-kit could not compare the schema with drizzle/:\n${output}`);
    process.exit(1);
  }
  console.error(`migrations match the schema (${before.length} migration files)`);
} finally {
  rmSync(path.join(root, copy), { recursive: true, force: true });
}
