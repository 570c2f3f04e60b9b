// Saved logins in bulk: a ZIP of `<username>.json` files sent with the caption /login and no
// name. The archive is read by tasks/fleet/login-zip.ts (a bomb, a path in a name or too many
// entries refuse it whole), each file by the same parser as a single upload, and the good ones are
// attached by one use case (tasks/fleet/attach-logins.ts). The answer counts what was attached and
// names each refused file with why; never a cookie value.
import type { Document } from 'telegraf/types';
import { attachLogins, type LoginEntry } from '../../../tasks/fleet/attach-logins.ts';
import { readLoginZip, ZIP_LIMITS, type ZipRefusal } from '../../../tasks/fleet/login-zip.ts';
import type { Texts } from '../../i18n/index.ts';
import { escapeHtml, fitLines, MAX_TEXT, truncate } from '../../shared/text-budget.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { downloadDocument } from '../document-download.ts';
import { parseLoginFile } from './login-file.ts';
import { describeProblem } from './problem.ts';

const MB = 1024 * 1024;

/** A document that is a ZIP by its name or its type. */
export function isZip(document: Document): boolean {
  return (
    /\.zip$/i.test(document.file_name ?? '') ||
    /^application\/(x-)?zip(-compressed)?$/i.test(document.mime_type ?? '')
  );
}

/** Reads, checks and attaches; returns the answer (room is left for the deletion note). */
export async function attachZip(deps: BotDeps, ctx: BotContext, document: Document): Promise<string> {
  const t = ctx.t.fleet.zip;
  if (!deps.secretsKey) return ctx.t.login.noKey;
  if ((document.file_size ?? 0) > ZIP_LIMITS.maxZipBytes)
    return describeRefusal(ctx.t, { code: 'tooLarge', limit: ZIP_LIMITS.maxZipBytes });
  const bytes = await downloadDocument(ctx, document.file_id, ZIP_LIMITS.maxZipBytes);
  if (bytes === 'unreadable') return ctx.t.login.unreadable;
  const zip = readLoginZip(bytes);
  if (!zip.ok) return describeRefusal(ctx.t, zip.refusal);
  const refused = zip.refused.map((r) => t.line(escapeHtml(truncate(r.name, 60)), t.reasons[r.reason]));
  const entries: LoginEntry[] = [];
  for (const entry of zip.entries) {
    const parsed = parseLoginFile(Buffer.from(entry.text));
    if (parsed.ok)
      entries.push({
        username: entry.username,
        state: parsed.state,
        cookies: parsed.state.cookies.length,
        origins: parsed.state.origins.length,
      });
    else refused.push(t.line(escapeHtml(entry.name), describeProblem(ctx, parsed)));
  }
  const result =
    entries.length > 0
      ? await attachLogins(deps.db, deps.secretsKey, { entries, actorId: ctx.actor.id, via: 'zip' })
      : { attached: [], unknown: [] };
  for (const name of result.unknown)
    refused.push(t.line(escapeHtml(`${name}.json`), t.reasons.unknownAccount));
  const resumed = result.attached.filter((a) => a.resumed).length;
  return fitLines({
    head: [
      result.attached.length > 0 ? t.attached(result.attached.length) : t.none,
      ...(resumed > 0 ? [t.resumed(resumed)] : []),
      ...(refused.length > 0 ? [t.refusedHeader(refused.length)] : []),
    ],
    body: refused,
    max: MAX_TEXT - 200,
    more: t.more,
  });
}

function describeRefusal(t: Texts, refusal: ZipRefusal): string {
  const z = t.fleet.zip.refusals;
  switch (refusal.code) {
    case 'tooLarge':
      return z.tooLarge(Math.round(refusal.limit / MB));
    case 'notZip':
      return z.notZip;
    case 'zipBomb':
      return z.zipBomb(Math.round(refusal.limit / MB));
    case 'tooManyEntries':
      return z.tooManyEntries(refusal.limit);
    case 'pathInName':
      return z.pathInName;
  }
}
