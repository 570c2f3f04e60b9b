// Query plans of /list and /task at 100 000 tasks: runs the bot's own read use cases, captures the
// SQL they send (postgres.js debug hook), and prints EXPLAIN (ANALYZE, BUFFERS) of each statement.
// Run: node bench/query-plans.ts   (TASKS=100000; PLANS=1 prints every plan in full; ONLY=text
// keeps the cases whose name contains it)
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '../src/db/schema.ts';
import { getTaskDetails, listTasksPage } from '../src/tasks/queries.ts';
import { benchDatabase, seedTasks } from './support.ts';

const TASKS = Number(process.env.TASKS ?? 100_000);
const bench = await benchDatabase();
const seedSeconds = await seedTasks(bench.database.db, TASKS, 1);
let captured: { query: string; params: unknown[] }[] = [];
const traced = postgres(bench.url, {
  max: 1,
  onnotice: () => {},
  debug: (_conn, query, params) => captured.push({ query, params: params as unknown[] }),
});
const db = drizzle(traced, { schema });
const plain = postgres(bench.url, { max: 1, onnotice: () => {} });

type Case = { name: string; run: () => Promise<unknown> };
const cases: Case[] = [];
const only = process.env.ONLY;
for (const status of [undefined, 'failed', 'running', 'pending', 'completed', 'cancelled'] as const) {
  const label = status ?? 'all';
  const filter = status ? { status } : {};
  // The ▶ button of page 499 carries its oldest id: page 500 is read by key from there.
  const edge = (await listTasksPage(db, { ...filter, page: 499 })).items.at(-1)!.id;
  cases.push({ name: `/list ${label} page 1`, run: () => listTasksPage(db, { ...filter, page: 1 }) });
  cases.push({
    name: `/list ${label} page 500 (▶)`,
    run: () => listTasksPage(db, { ...filter, page: 500, cursor: { before: edge } }),
  });
  cases.push({
    name: `/list ${label} page 500 (typed)`,
    run: () => listTasksPage(db, { ...filter, page: 500 }),
  });
}
cases.push({ name: '/task 54321', run: () => getTaskDetails(db, 54_321) });

console.error(
  `server: ${bench.server}; ${TASKS} tasks (${TASKS * 3} runs) seeded in ${seedSeconds.toFixed(1)} s`,
);
console.error('| query | statement | execution ms | shared buffers hit+read |');
console.error('|---|---|---|---|');
for (const c of cases.filter((c) => !only || c.name.includes(only))) {
  await c.run(); // warm
  captured = [];
  await c.run();
  for (const [i, { query, params }] of captured.entries()) {
    const rows = await plain.unsafe(`explain (analyze, buffers, format json) ${query}`, params as never[]);
    const plan = (
      rows[0] as unknown as { 'QUERY PLAN': [{ Plan: Record<string, number>; 'Execution Time': number }] }
    )['QUERY PLAN'][0];
    const buffers = (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0);
    console.error(
      `| ${c.name} | ${i + 1}: ${query.replace(/\s+/g, ' ').slice(0, 60)}… | ${plan['Execution Time'].toFixed(2)} | ${buffers} |`,
    );
    if (process.env.PLANS) {
      const text = await plain.unsafe(`explain (analyze, buffers) ${query}`, params as never[]);
      console.error(
        `\n${c.name} — statement ${i + 1}\n${query}\n${text.map((r) => r['QUERY PLAN']).join('\n')}\n`,
      );
    }
  }
}
await traced.end();
await plain.end();
await bench.close();
process.exit(0);
