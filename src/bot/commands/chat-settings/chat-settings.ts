// /tz, /quiet and /digest: this chat's timezone, quiet hours and daily summary (shown to anyone,
// changed by operators, audited as chat.settings.*; a change stores the changer's language as the
// chat's); /stats [days]: the chart on demand.
import { Composer } from 'telegraf';
import { recordAudit } from '../../../db/audit-repo.ts';
import { findChatSettings, updateChatSettings } from '../../../db/chat-settings-repo.ts';
import { formatClock, localTime } from '../../../tasks/local-time.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import { sendStats } from '../summary/send-summary.ts';
import { parseDigestArgs, parseQuietArgs, parseStatsDays, parseTzArgs } from './args.ts';

export function chatSettingsFeature(deps: BotDeps) {
  const { db } = deps;
  const teamZone = deps.timeZone ?? 'UTC';
  const now = () => new Date((deps.now ?? Date.now)());
  const feature = new Composer<BotContext>();

  const audit = (ctx: BotContext, what: string, details: Record<string, unknown>) =>
    recordAudit(db, {
      actorId: ctx.actor.id,
      action: `chat.settings.${what}`,
      details: { chatId: ctx.chat!.id, ...details },
    });

  feature.command('tz', async (ctx) => {
    const t = ctx.t.chat.tz;
    const args = parseTzArgs(commandArgs(ctx));
    if (args.kind === 'bad') return void (await ctx.reply(t.bad(args.text.slice(0, 64))));
    const settings = await findChatSettings(db, ctx.chat.id);
    if (args.kind === 'show') {
      const own = settings?.timeZone ?? null;
      return void (await ctx.reply(t.current(own ?? teamZone, own !== null)));
    }
    if (!(await requireRole(ctx, db, 'operator', 'chat.tz'))) return;
    const zone = args.kind === 'set' ? args.zone : null;
    await updateChatSettings(db, ctx.chat.id, { timeZone: zone, language: ctx.actor.lang });
    await audit(ctx, 'tz', { timeZone: zone });
    await ctx.reply(zone ? t.set(zone) : t.reset(teamZone));
  });

  feature.command('quiet', async (ctx) => {
    const t = ctx.t.chat.quiet;
    const args = parseQuietArgs(commandArgs(ctx));
    if (args.kind === 'bad') return void (await ctx.reply(t.bad));
    if (args.kind === 'show') {
      const s = await findChatSettings(db, ctx.chat.id);
      if (!s || s.quietFrom === null || s.quietUntil === null) return void (await ctx.reply(t.none));
      return void (await ctx.reply(
        t.current(formatClock(s.quietFrom), formatClock(s.quietUntil), s.quietUrgent),
      ));
    }
    if (!(await requireRole(ctx, db, 'operator', 'chat.quiet'))) return;
    if (args.kind === 'off') {
      await updateChatSettings(db, ctx.chat.id, {
        quietFrom: null,
        quietUntil: null,
        language: ctx.actor.lang,
      });
      await audit(ctx, 'quiet', { quiet: null });
      return void (await ctx.reply(t.off));
    }
    await updateChatSettings(db, ctx.chat.id, {
      language: ctx.actor.lang,
      quietFrom: args.from,
      quietUntil: args.until,
      quietUrgent: args.urgent,
    });
    await audit(ctx, 'quiet', { from: args.from, until: args.until, urgent: args.urgent });
    await ctx.reply(
      t.set(formatClock(args.from), formatClock(args.until), args.urgent, ctx.t.locale.timeZone),
    );
  });

  feature.command('digest', async (ctx) => {
    const t = ctx.t.chat.digest;
    const args = parseDigestArgs(commandArgs(ctx));
    if (args.kind === 'bad') return void (await ctx.reply(t.bad));
    const zone = ctx.t.locale.timeZone;
    if (args.kind === 'show') {
      const s = await findChatSettings(db, ctx.chat.id);
      return void (await ctx.reply(s?.digestAt == null ? t.none : t.current(formatClock(s.digestAt), zone)));
    }
    if (!(await requireRole(ctx, db, 'operator', 'chat.digest'))) return;
    if (args.kind === 'off') {
      await updateChatSettings(db, ctx.chat.id, { digestAt: null, language: ctx.actor.lang });
      await audit(ctx, 'digest', { at: null });
      return void (await ctx.reply(t.off));
    }
    // A time already past today starts tomorrow: setting it is not a request for one right now.
    const local = localTime(now(), zone);
    await updateChatSettings(db, ctx.chat.id, {
      language: ctx.actor.lang,
      digestAt: args.at,
      ...(local.minute >= args.at ? { digestSentOn: local.date, digestRetryAt: null } : {}),
    });
    await audit(ctx, 'digest', { at: args.at });
    await ctx.reply(t.set(formatClock(args.at), zone));
  });

  feature.command('stats', async (ctx) => {
    const days = parseStatsDays(commandArgs(ctx));
    if (days === undefined) return void (await ctx.reply(ctx.t.chat.stats.bad));
    const summaryDeps = { db, telegram: ctx.telegram, log: deps.log, platforms: deps.platforms };
    await sendStats(summaryDeps, ctx.chat.id, ctx.t, now(), days);
  });

  return feature;
}
