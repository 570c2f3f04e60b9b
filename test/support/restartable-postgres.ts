// A Postgres server of the test's own (embedded, temp data directory, free port) that the test can
// stop and start again — a database restart — with its data kept; and a migrated database on it.
import { openDatabase } from '../../src/db/client.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { makeDataDir, removeDataDir } from './data-dir.ts';
import type { TestDatabase } from './db.ts';
import { freePort } from './global-setup.ts';

export type RestartablePostgres = {
  database: TestDatabase;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Closes the pool, stops the server and deletes its data. */
  close(): Promise<void>;
};

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const dataDir = await makeDataDir('warmup-restart-pg-');
  const options = { dataDir, port: await freePort(), database: 'warmup' };
  let server: EmbeddedServer | undefined = await startEmbeddedPostgres(options);
  await migrateDatabase(server.url);
  const database: TestDatabase = {
    ...openDatabase(server.url, { max: 20, applicationName: 'warmup-bot-test' }),
    url: server.url,
    name: 'warmup',
    drop: async () => {},
  };
  return {
    database,
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async start() {
      server ??= await startEmbeddedPostgres(options);
    },
    async close() {
      await database.close().catch(() => {});
      await server?.stop();
      await removeDataDir(dataDir);
    },
  };
}
