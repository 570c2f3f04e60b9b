// The fleet at size: a generated LINES-line import file (both proxy forms, tags) parsed, previewed
// and applied on a fresh database (each new account drawing its own identity); the same file
// previewed again (all unchanged) and re-applied with every proxy changed; then /accounts pages at
// that size against a 10-account fleet, a `tag:` selection, and the export written and re-read.
// Run: node bench/fleet-import.ts   (LINES=1000; BENCH_DATABASE_URL=postgres://… to use a server)
import { randomBytes } from 'node:crypto';
import { insertAccount } from '../src/db/accounts-repo.ts';
import { writeFleetCsv } from '../src/tasks/fleet/export-file.ts';
import { exportFleet } from '../src/tasks/fleet/export-fleet.ts';
import { applyImport, previewImport } from '../src/tasks/fleet/import.ts';
import { type ParsedImport, parseImportFile } from '../src/tasks/fleet/import-file.ts';
import { listAccountsPage } from '../src/tasks/fleet/list.ts';
import { resolveSelection } from '../src/tasks/fleet/selection.ts';
import { benchDatabase, summarize } from './support.ts';

const LINES = Number(process.env.LINES ?? 1000);
const PLATFORMS = ['tiktok', 'instagram', 'youtube'];
const ms = (from: number) => performance.now() - from;

function generate(lines: number, port: number): string {
  const body = Array.from({ length: lines }, (_, i) => {
    const proxy =
      i % 2
        ? `p${i}.example.net:${port}:user${i}:pw-${i}-secret`
        : `http://user${i}:pw${i}@p${i}.example.net:${port}`;
    return `bench${i},${proxy},"batch${i % 10},${i % 3 ? 'us' : 'eu'}",${PLATFORMS[i % 3]}`;
  });
  return ['username,proxy,tags,platform', ...body].join('\n');
}

function parse(text: string): ParsedImport {
  const parsed = parseImportFile(text, { platforms: PLATFORMS });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.refusal));
  if (parsed.file.bad.length > 0)
    throw new Error(`bad lines: ${JSON.stringify(parsed.file.bad.slice(0, 3))}`);
  return parsed.file;
}

async function pageTimes(db: Parameters<typeof listAccountsPage>[0], pages: number) {
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await listAccountsPage(db, { page: 1 + (i % pages), ...(i % 3 === 1 ? { tag: 'batch3' } : {}) });
    times.push(ms(t));
  }
  return summarize(times);
}

const bench = await benchDatabase();
const { db } = bench.database;
// Proxies are stored sealed with the secrets key: the bench pays for that as production does.
const withKey = { secretsKey: randomBytes(32) };
try {
  for (let i = 0; i < 10; i++) await insertAccount(db, { username: `small${i}` });
  const small = await pageTimes(db, 1);

  const text = generate(LINES, 8000);
  let t = performance.now();
  const file = parse(text);
  const parseMs = ms(t);
  t = performance.now();
  const preview = await previewImport(db, file, withKey);
  const previewMs = ms(t);
  t = performance.now();
  const applied = await applyImport(db, file, 1, withKey);
  const applyMs = ms(t);
  t = performance.now();
  const again = await previewImport(db, file, withKey);
  const againMs = ms(t);
  const moved = parse(generate(LINES, 9000));
  t = performance.now();
  const reapplied = await applyImport(db, moved, 1, withKey);
  const reapplyMs = ms(t);

  const large = await pageTimes(db, Math.ceil((LINES + 10) / 20));
  t = performance.now();
  const selected = await resolveSelection(db, ['tag:batch3', 'tag:eu', 'small1']);
  const selectMs = ms(t);
  t = performance.now();
  const csv = writeFleetCsv(await exportFleet(db));
  const exportMs = ms(t);
  t = performance.now();
  const reimport = await previewImport(db, parse(csv), withKey);
  const reimportMs = ms(t);

  const kib = (Buffer.byteLength(text) / 1024).toFixed(0);
  const line = (step: string, result: string, time: string) =>
    console.error(`| ${step} | ${result} | ${time} |`);
  console.error(`server: ${bench.server}; ${LINES}-line import file (${kib} KiB), on ${10} accounts`);
  console.error('| step | result | time |');
  console.error('|---|---|---|');
  line('parse', `${file.rows.length} rows, ${file.bad.length} bad`, `${parseMs.toFixed(0)} ms`);
  line('preview', `${preview.added} new, ${preview.changed} changed`, `${previewMs.toFixed(0)} ms`);
  line(
    'apply (one transaction)',
    `${applied.added} added, each its own identity`,
    `${applyMs.toFixed(0)} ms`,
  );
  line('preview again', `${again.unchanged} unchanged`, `${againMs.toFixed(0)} ms`);
  line('apply, every proxy changed', `${reapplied.changed} changed`, `${reapplyMs.toFixed(0)} ms`);
  line(
    '/accounts page, 10 accounts ×30',
    'pages, tag filter on a third',
    `mean ${small.mean.toFixed(1)} ms, p95 ${small.p95.toFixed(1)} ms`,
  );
  line(
    `/accounts page, ${LINES + 10} accounts ×30`,
    'pages 1…n, tag filter on a third',
    `mean ${large.mean.toFixed(1)} ms, p95 ${large.p95.toFixed(1)} ms`,
  );
  line(
    'resolveSelection tag:batch3,tag:eu,small1',
    `${selected.ok ? selected.accountIds.length : '?'} accounts`,
    `${selectMs.toFixed(1)} ms`,
  );
  line('export (rows + CSV)', `${(csv.length / 1024).toFixed(0)} KiB`, `${exportMs.toFixed(0)} ms`);
  line(
    'export re-read and previewed',
    `${reimport.unchanged} unchanged, ${reimport.changed} changed`,
    `${reimportMs.toFixed(0)} ms`,
  );
} finally {
  await bench.close();
}
