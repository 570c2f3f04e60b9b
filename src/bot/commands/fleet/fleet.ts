// The fleet managed as a fleet (admin): /accounts_import (a CSV/TXT document, previewed, applied on a
// tap: import.ts), /accounts_export (a CSV document: export.ts) and /account_remove (asked first:
// remove.ts). The paged /accounts list is the accounts feature's; ZIPs of logins are /login's.
import { Composer } from 'telegraf';
import { editedMessage, message } from 'telegraf/filters';
import type { BotContext, BotDeps } from '../context.ts';
import { sendExport } from './export.ts';
import { createImportFlow } from './import.ts';
import { isImportCallbackData, isRemoveCallbackData } from './keyboard.ts';
import { askRemove, onRemoveTap } from './remove.ts';

export function fleetFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const imports = createImportFlow(deps);

  feature.on(message('document'), (ctx, next) =>
    imports.onDocument(ctx, ctx.message.caption ?? '', ctx.message.document, next),
  );
  // A file sent with a wrong caption and then corrected: the edit arrives as an edited_message.
  feature.on(editedMessage('document'), (ctx, next) =>
    imports.onDocument(ctx, ctx.editedMessage.caption ?? '', ctx.editedMessage.document, next),
  );
  // /accounts_import typed as a text message: there is no file to read.
  feature.command('accounts_import', (ctx) => ctx.reply(ctx.t.fleet.import.usage, { parse_mode: 'HTML' }));
  feature.command('accounts_export', (ctx) => sendExport(deps, ctx));
  feature.command('account_remove', (ctx) => askRemove(deps, ctx));

  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (isImportCallbackData(data)) return imports.onTap(ctx, data);
    if (isRemoveCallbackData(data)) return onRemoveTap(deps, ctx, data);
    return next();
  });

  return feature;
}
