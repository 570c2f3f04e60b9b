// DATA_DIRs of tests: as root the embedded cluster may live outside DATA_DIR (under
// /var/lib/warmup-bot, named in DATA_DIR/postgres-location); removing a DATA_DIR removes it too.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function makeDataDir(prefix = 'warmup-data-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function removeDataDir(dir: string): Promise<void> {
  const cluster = (await readFile(path.join(dir, 'postgres-location'), 'utf8').catch(() => '')).trim();
  if (cluster && !cluster.startsWith(dir)) await rm(cluster, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
}
