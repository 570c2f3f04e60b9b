// What both ways of /new end in: the task created and queued, and the card that announces it; and
// which accounts count as healthy (those `accounts=all` and "All healthy" pick).
import { createTask } from '../../../tasks/create-task.ts';
import { UNWARMABLE_HEALTH } from '../../../warmup/failure-reasons.ts';
import { settingsBasis } from '../../../warmup/platform-warmup.ts';
import type { PresetName, WarmupSettings } from '../../../warmup/settings.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { taskKeyboard } from '../tasks/keyboard.ts';

/** Accounts that `accounts=all` and "All healthy" leave out: retrying these makes things worse. */
export const isHealthy = (account: { health: string }) =>
  !(UNWARMABLE_HEALTH as readonly string[]).includes(account.health);

/**
 * Creates and queues the task; returns the card that announces it. The settings are stored with
 * their basis (the preset and the knobs typed over it), so each account's platform can fill in
 * the rest (platform-warmup.ts).
 */
export async function createAndAnnounce(
  { db, jobs }: BotDeps,
  ctx: BotContext,
  accountIds: number[],
  preset: PresetName | undefined,
  settings: WarmupSettings,
  name?: string,
  overrides: Partial<WarmupSettings> = {},
) {
  const presetName = preset ?? ctx.t.newTask.defaultPreset;
  const { task } = await createTask(db, jobs, {
    name: name ?? `${preset ?? 'default'} ×${accountIds.length}`,
    settings: { ...settings, basis: settingsBasis(preset, overrides) },
    accountIds,
    chatId: ctx.chat?.id ?? null,
    actorId: ctx.actor.id,
  });
  return {
    text: ctx.t.newTask.created(task.id, accountIds.length, presetName),
    extra: {
      parse_mode: 'HTML' as const,
      ...taskKeyboard(ctx.t, task.id, 'pending', { failed: 0, cancelled: 0 }),
    },
  };
}
