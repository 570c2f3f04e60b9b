// Which command a text starts with, when it is addressed to this bot: the one reader behind document
// captions (/login, /accounts_import) and the outdated-update answer.
import { expect, it } from 'vitest';
import { addressedCommand } from '../../../src/bot/commands/addressed-command.ts';

it.each([
  ['/login alice', { name: 'login', args: ['alice'] }],
  ['  /Accounts_Import', { name: 'accounts_import', args: [] }],
  ['/new@WarmupBot accounts=a,b  preset=light', { name: 'new', args: ['accounts=a,b', 'preset=light'] }],
  ['/login@other_bot alice', null],
  ['login alice', undefined],
  ['/ alone', undefined],
  ['/new-task', undefined],
  ['', undefined],
])('%j → %j', (text, expected) => {
  expect(addressedCommand(text, 'warmupbot')).toEqual(expected);
});
