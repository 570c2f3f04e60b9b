// What is wrong with a session file, in one sentence of the user's language: the cookie by its
// number and name and the rule it breaks, never a value (values are secrets).
import type { BotContext } from '../context.ts';
import { shownInput } from '../quoted-input.ts';
import type { SessionFileResult } from './session-file.ts';

export function describeProblem(ctx: BotContext, parsed: Exclude<SessionFileResult, { ok: true }>): string {
  const t = ctx.t.session;
  switch (parsed.problem) {
    case 'badCookie':
      return t.badCookie(
        parsed.index,
        shownInput(parsed.name) ?? ctx.t.hiddenLink,
        t.cookieRules[parsed.rule],
      );
    case 'badShape':
      return t.badShape(shownInput(parsed.detail, 200) ?? ctx.t.hiddenLink);
    case 'notJson':
      return t.notJson;
    case 'noCookies':
      return t.noCookies;
  }
}
