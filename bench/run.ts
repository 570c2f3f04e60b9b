// npm run bench [-- name…]: runs the named benchmark scripts in bench/ one after another (all of
// them when none is named); each prints its own table for docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'support.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown bench: ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : all) {
  console.error(`\n# ${name}`);
  const result = spawnSync(process.execPath, [path.join(here, `${name}.ts`)], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
