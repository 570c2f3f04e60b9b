// /start and /help: what the bot does and the commands this user's role allows.
import { Composer } from 'telegraf';
import type { Texts } from '../../i18n/index.ts';
import type { BotContext } from '../context.ts';
import { hasRole } from '../context.ts';

export function helpFeature() {
  const feature = new Composer<BotContext>();
  feature.command(['start', 'help'], async (ctx) => {
    const { t, actor } = ctx;
    const lines = [t.help.intro, '', ...t.help.viewer, ...t.fleet.help.viewer, ...t.chat.help.viewer];
    if (hasRole(actor, 'operator'))
      lines.push(...t.help.operator, ...t.fleet.help.operator, ...t.chat.help.operator);
    if (hasRole(actor, 'admin')) lines.push(...t.help.admin, ...t.fleet.help.admin);
    lines.push('', t.help.role(t.roles[actor.role]));
    await ctx.reply(lines.join('\n'), { parse_mode: 'HTML' });
  });
  return feature;
}

const MENU = [
  'new',
  'list',
  'task',
  'restart',
  'cancel',
  'accounts',
  'check',
  'account',
  'retry_failed',
  'stats',
  'plans',
  'plan',
  'accounts_import',
  'accounts_export',
  'account_remove',
  'help',
] as const;

/** The command menu Telegram shows, in the texts' language; registered at startup. */
export function botCommands(t: Texts) {
  const menu = { ...t.menu, ...t.fleet.menu, ...t.chat.menu };
  return MENU.map((command) => ({ command, description: menu[command] }));
}
