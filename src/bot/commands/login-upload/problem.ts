// What is wrong with a login file, in one sentence of the user's language: the cookie by its
// number and name and the rule it breaks, never a value (values are secrets).
import type { BotContext } from '../context.ts';
import { shownInput } from '../quoted-input.ts';
import type { LoginFileResult } from './login-file.ts';

export function describeProblem(ctx: BotContext, parsed: Exclude<LoginFileResult, { ok: true }>): string {
  const t = ctx.t.login;
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
