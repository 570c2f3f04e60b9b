// Runs once per `vitest run`: provides the Postgres server that test files create their own
// databases on — TEST_DATABASE_URL when set, else a throwaway embedded Postgres.
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL?.trim();
  if (external) {
    project.provide('adminDatabaseUrl', external);
    return;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'warmup-test-pg-'));
  const server = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: 'postgres',
    ephemeral: true,
  });
  project.provide('adminDatabaseUrl', server.adminUrl);
  return async () => {
    await server.stop();
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
