// /help through real telegraf and the fake Bot API lists the commands each role may use — the
// fleet's admin commands for admins only — and the command menu names the fleet's commands.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { botCommands } from '../../../../src/bot/commands/help/help.ts';
import { en } from '../../../../src/bot/i18n/en.ts';
import { ru } from '../../../../src/bot/i18n/ru.ts';
import { type ChatBot, people, startChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';

const database = useTestDatabase();
let bot: ChatBot;
beforeAll(async () => {
  bot = await startChatBot(database());
});
afterAll(async () => {
  await bot?.stop();
});

it('lists the fleet commands by role', async () => {
  const admin = await bot.ask(people.admin, '/help');
  for (const command of [
    '/accounts_import',
    '/accounts_export',
    '/account_remove',
    '/accounts [health] [tag:x] [page]',
  ])
    expect(admin).toContain(command);
  expect(admin).toContain('proxy=…|none');
  const operator = await bot.ask(people.operator, '/help');
  expect(operator).toContain('accounts=a,b,tag:spring');
  expect(operator).toContain('[accounts=tag:x,…]');
  expect(operator).not.toContain('/accounts_import');
  expect(await bot.ask(people.viewer, '/help')).toContain('/accounts [состояние] [tag:метка] [страница]');
});

it('the command menu names the fleet commands in both languages', () => {
  for (const t of [en, ru]) {
    const menu = botCommands(t).map((c) => c.command);
    expect(menu).toEqual(expect.arrayContaining(['accounts_import', 'accounts_export', 'account_remove']));
    expect(botCommands(t).every((c) => c.description.length > 0 && c.description.length <= 256)).toBe(true);
  }
});
