// The fleet a page at a time for /accounts: 20 live accounts by name, filtered by health and/or a
// tag, with the count of each health (within the tag filter, not the health one: what each health
// button would list) and every tag in use (for the tag buttons). Three indexed queries, whatever the
// fleet's size; no proxy URL leaves here, only its host.
import type { Executor } from '../../db/client.ts';
import { countFleetByHealth, listFleetPage, listFleetTags } from '../../db/fleet-repo.ts';
import { HEALTH_STATES, type HealthState } from '../../db/vocabulary.ts';
import { proxyHostOf } from './proxy.ts';

export const PAGE_SIZE = 20;

export type FleetPageQuery = { health?: HealthState; tag?: string; page: number; pageSize?: number };

type PageRow = Awaited<ReturnType<typeof listFleetPage>>[number];
export type FleetPageRow = Omit<PageRow, 'proxyUrl'> & { proxyHost: string | null };

export type FleetPage = {
  rows: FleetPageRow[];
  /** The page shown: the one asked for, brought within 1…pages. */
  page: number;
  pages: number;
  pageSize: number;
  /** Accounts matching both filters. */
  total: number;
  healthCounts: Record<HealthState, number>;
  tags: { tag: string; n: number }[];
};

export async function listAccountsPage(db: Executor, query: FleetPageQuery): Promise<FleetPage> {
  const pageSize = query.pageSize ?? PAGE_SIZE;
  const [counted, tags] = await Promise.all([countFleetByHealth(db, { tag: query.tag }), listFleetTags(db)]);
  const healthCounts = Object.fromEntries(HEALTH_STATES.map((h) => [h, 0])) as Record<HealthState, number>;
  for (const { health, n } of counted) healthCounts[health] = n;
  const total =
    query.health === undefined
      ? Object.values(healthCounts).reduce((a, b) => a + b, 0)
      : healthCounts[query.health];
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.trunc(query.page) || 1), pages);
  const rows = await listFleetPage(
    db,
    { health: query.health, tag: query.tag },
    pageSize,
    (page - 1) * pageSize,
  );
  return {
    rows: rows.map(({ proxyUrl, ...row }) => ({ ...row, proxyHost: proxyHostOf(proxyUrl) ?? null })),
    page,
    pages,
    pageSize,
    total,
    healthCounts,
    tags,
  };
}
