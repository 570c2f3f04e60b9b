// /start and /help: what the bot does and the commands this user's role allows.
import { Composer } from 'telegraf';
import type { BotContext } from '../context.ts';
import { hasRole } from '../context.ts';

export function helpFeature() {
  const feature = new Composer<BotContext>();
  feature.command(['start', 'help'], async (ctx) => {
    const { t, actor } = ctx;
    const lines = [t.help.intro, '', ...t.help.viewer];
    if (hasRole(actor, 'operator')) lines.push(...t.help.operator);
    if (hasRole(actor, 'admin')) lines.push(...t.help.admin);
    lines.push('', t.help.role(actor.role));
    await ctx.reply(lines.join('\n'), { parse_mode: 'HTML' });
  });
  return feature;
}

/** The command menu Telegram shows; registered at startup (a failure there is not fatal). */
export const BOT_COMMANDS = [
  { command: 'new', description: 'Create a warmup task' },
  { command: 'list', description: 'Tasks, newest first' },
  { command: 'task', description: 'Details of a task: /task 42' },
  { command: 'restart', description: 'Restart a task: /restart 42 [failed]' },
  { command: 'cancel', description: 'Cancel a task: /cancel 42' },
  { command: 'accounts', description: 'Accounts and their health' },
  { command: 'help', description: 'What I can do' },
];

export const BOT_COMMANDS_RU = [
  { command: 'new', description: 'Создать задачу прогрева' },
  { command: 'list', description: 'Задачи, новые сначала' },
  { command: 'task', description: 'Подробности задачи: /task 42' },
  { command: 'restart', description: 'Перезапуск: /restart 42 [failed]' },
  { command: 'cancel', description: 'Отменить задачу: /cancel 42' },
  { command: 'accounts', description: 'Аккаунты и их состояние' },
  { command: 'help', description: 'Что я умею' },
];
