// The buttons of /plans and /plan <id>, and their callback data: `pg:<action>:<id>`, parsed
// strictly on arrival (a custom client can send anything).
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import type { ProgrammeRow } from '../../../db/schema.ts';
import type { Texts } from '../../i18n/index.ts';
import { MAX_CALLBACK_DATA, MAX_ID } from '../../shared/buttons.ts';

const ACTIONS = {
  p: 'pause',
  r: 'resume',
  s: 'stop',
  sy: 'stopConfirm',
  sn: 'stopCancel',
  d: 'details',
} as const;
type Code = keyof typeof ACTIONS;
export type ProgrammeAction = (typeof ACTIONS)[Code];
export type ProgrammeCallback = { action: ProgrammeAction; id: number };

const RE = /^pg:(p|r|s|sy|sn|d):([1-9]\d{0,9})$/;

export function isProgrammeCallbackData(data: string | undefined): boolean {
  return data?.startsWith('pg:') ?? false;
}

export function decodeProgrammeCallback(data: string | undefined): ProgrammeCallback | undefined {
  const m = data && data.length <= MAX_CALLBACK_DATA ? RE.exec(data) : null;
  if (!m) return undefined;
  const id = Number(m[2]);
  return id <= MAX_ID ? { action: ACTIONS[m[1] as Code], id } : undefined;
}

export function encodeProgrammeCallback(cb: ProgrammeCallback): string {
  const code = (Object.keys(ACTIONS) as Code[]).find((k) => ACTIONS[k] === cb.action);
  return `pg:${code}:${cb.id}`;
}

const button = (text: string, cb: ProgrammeCallback) =>
  Markup.button.callback(text, encodeProgrammeCallback(cb));

/** The buttons of one programme: the moves its status allows, and Details. */
export function programmeButtons(
  t: Texts,
  programme: Pick<ProgrammeRow, 'id' | 'status'>,
  withDetails = true,
) {
  const b = t.programmes.buttons;
  const row: InlineKeyboardButton[] = [];
  const tag = (label: string) => `${label} #${programme.id}`;
  if (programme.status === 'active') row.push(button(tag(b.pause), { action: 'pause', id: programme.id }));
  if (programme.status === 'paused') row.push(button(tag(b.resume), { action: 'resume', id: programme.id }));
  if (programme.status === 'active' || programme.status === 'paused') {
    row.push(button(tag(b.stop), { action: 'stop', id: programme.id }));
  }
  if (withDetails) row.push(button(tag(b.details), { action: 'details', id: programme.id }));
  return row;
}

export function listKeyboard(t: Texts, programmes: Pick<ProgrammeRow, 'id' | 'status'>[]) {
  return Markup.inlineKeyboard(programmes.map((p) => programmeButtons(t, p)).filter((row) => row.length > 0));
}

export function detailsKeyboard(t: Texts, programme: Pick<ProgrammeRow, 'id' | 'status'>) {
  return Markup.inlineKeyboard([programmeButtons(t, programme, false)]);
}

export function confirmStopKeyboard(t: Texts, id: number) {
  return Markup.inlineKeyboard([
    [
      button(t.programmes.buttons.yesStop, { action: 'stopConfirm', id }),
      button(t.programmes.buttons.no, { action: 'stopCancel', id }),
    ],
  ]);
}
