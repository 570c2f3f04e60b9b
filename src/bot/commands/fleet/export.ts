// /accounts_export (admin): the fleet as a CSV document — username, platform, health, tags, proxy
// host (never a credential), saved login, quarantine, last warmup, identity — that re-imports with
// /accounts_import as unchanged. Audited.
import { Input } from 'telegraf';
import { recordAudit } from '../../../db/audit-repo.ts';
import { writeFleetCsv } from '../../../tasks/fleet/export-file.ts';
import { exportFleet } from '../../../tasks/fleet/export-fleet.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';

export async function sendExport(deps: BotDeps, ctx: BotContext) {
  if (!(await requireRole(ctx, deps.db, 'admin', 'accounts_export'))) return;
  const rows = await exportFleet(deps.db);
  if (rows.length === 0) return void (await ctx.reply(ctx.t.accounts.empty, { parse_mode: 'HTML' }));
  await recordAudit(deps.db, {
    actorId: ctx.actor.id,
    action: 'account.export',
    details: { accounts: rows.length },
  });
  const day = new Date((deps.now ?? Date.now)()).toISOString().slice(0, 10);
  await ctx.replyWithDocument(
    Input.fromBuffer(Buffer.from(writeFleetCsv(rows), 'utf8'), `accounts-${day}.csv`),
    {
      caption: ctx.t.fleet.export.caption(rows.length),
    },
  );
}
