// The rows of /accounts_export: every live account by name, its proxy as host:port only and its
// browser in one line (the stored identity, or the anti-detect profile it opens).
import type { Executor } from '../../db/client.ts';
import { listFleetForExport } from '../../db/fleet-repo.ts';
import { describeIdentity, readIdentity } from '../../warmup/identity.ts';
import { browserProfileSchema } from '../../warmup/providers/provider.ts';
import type { ExportRow } from './export-file.ts';

export async function exportFleet(db: Executor): Promise<ExportRow[]> {
  const rows = await listFleetForExport(db);
  return rows.map((r) => ({
    username: r.username,
    platform: r.platform,
    health: r.health,
    tags: r.tags,
    proxyHost: r.proxyHost,
    hasLogin: r.hasLogin,
    quarantined: r.quarantinedAt !== null,
    lastWarmedAt: r.lastWarmedAt,
    identity: describeBrowser(r),
  }));
}

function describeBrowser(r: { browser: string; browserProfile: unknown; identity: unknown }): string | null {
  const profile = browserProfileSchema.safeParse(r.browserProfile);
  if (r.browser === 'cdp' && profile.success) return `cdp ${profile.data.provider}:${profile.data.profileId}`;
  const identity = readIdentity(r.identity);
  return identity ? describeIdentity(identity) : null;
}
