// A process of ours that uses the embedded database, for test/db/embedded.test.ts: starts (or
// shares) the server on argv's DATA_DIR and port, prints `ready started=<bool>`, then queries every
// 50 ms, printing `ok` or `error <message>`, until SIGTERM makes it leave (release) and exit.
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';

const [dataDir, port] = process.argv.slice(2);
const server = await startEmbeddedPostgres({ dataDir: String(dataDir), port: Number(port) });
const sql = postgres(server.url, { max: 2, onnotice: () => {} });
const say = (line: string) => process.stdout.write(`${line}\n`);
say(`ready started=${server.started} cluster=${server.clusterDir}`);
const timer = setInterval(() => {
  sql`select 1`.then(
    () => say('ok'),
    (err: Error) => say(`error ${err.message}`),
  );
}, 50);
process.on('SIGTERM', async () => {
  clearInterval(timer);
  await sql.end({ timeout: 2 });
  await server.release();
  say('left');
  process.exit(0);
});
