// Child process for test/db/dropped-socket.test.ts: writes to Postgres without pause from pooled
// queries and transactions (and, with LOAD_RESERVED=1, reserved connections) while the test kills
// their backends. Prints "ready"; on "stop" (stdin) waits for its loops and prints one JSON line of
// counts. A postgres.js crash (an uncaught exception or unhandled rejection) ends this process,
// which is what the test watches for.
import { createInterface } from 'node:readline';
import { openDatabase } from '../../src/db/client.ts';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
const database = openDatabase(url, { max: 6, applicationName: process.env.LOAD_APP_NAME ?? 'load' });
const { sql } = database;
const counts = { started: 0, succeeded: 0, rejected: 0, codes: {} as Record<string, number> };
const inFlight = new Map<number, string>();
let nextId = 0;
let stopping = false;

/** Every query goes through here: it must settle one way or the other. */
async function tracked<T>(
  label: string,
  query: (relabel: (label: string) => void) => Promise<T>,
): Promise<T | undefined> {
  const id = nextId++;
  counts.started++;
  inFlight.set(id, label);
  try {
    const result = await query((next) => inFlight.set(id, next));
    counts.succeeded++;
    return result;
  } catch (err) {
    counts.rejected++;
    const code = String((err as { code?: unknown }).code ?? (err as Error).name);
    counts.codes[code] = (counts.codes[code] ?? 0) + 1;
    return undefined;
  } finally {
    inFlight.delete(id);
  }
}

async function pooled(n: number) {
  for (let i = 0; !stopping; i++) {
    if (i % 3 === 0) {
      // 'transaction' while it waits for a connection, 'transaction body' once it has one.
      await tracked('transaction', (relabel) =>
        sql.begin(async (tx) => {
          relabel('transaction body');
          await tx`insert into load_rows (source, v) values (${`tx${n}`}, ${i})`;
          await tx`insert into load_rows (source, v) values (${`tx${n}`}, ${i + 1})`;
        }),
      );
    } else {
      await tracked('pooled', () => sql`insert into load_rows (source, v) values (${`pool${n}`}, ${i})`);
    }
  }
}

async function reserved(n: number) {
  while (!stopping) {
    const conn = await tracked('reserve', () => sql.reserve());
    if (!conn) continue;
    // A reserved connection whose backend died stays dead: leave it after its first failure.
    for (let i = 0; !stopping; i++) {
      const insert = () => conn`insert into load_rows (source, v) values (${`reserved${n}`}, ${i})`;
      if ((await tracked('reserved', insert)) === undefined) break;
    }
    conn.release();
  }
}

const loops = [pooled(1), pooled(2), pooled(3)];
if (process.env.LOAD_RESERVED === '1') loops.push(reserved(1), reserved(2));
process.stdout.write('ready\n');

createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line !== 'stop') return;
  stopping = true;
  // Each loop has one query in flight at most; one that never settles keeps its loop waiting.
  const deadline = new Promise<false>((resolve) => setTimeout(resolve, 15_000, false).unref());
  const settled = await Promise.race([Promise.all(loops).then(() => true), deadline]);
  const unsettled = [...inFlight.values()];
  // The pool must work again once the backends are left alone.
  const after = await tracked('after', () => sql`select count(*)::int as n from load_rows`);
  process.stdout.write(
    `${JSON.stringify({ ...counts, settled, unsettled, recovered: after !== undefined })}\n`,
  );
  await database.close();
  process.exit(0);
});
