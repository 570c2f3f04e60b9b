// English texts of the next steps offered as buttons (issue 16): "restart the healthy ones" under
// a restart warning, and "Check" for an account whose proxy failed.
import { type PluralForms, plural } from './intl.ts';

const accountsN = (count: number) =>
  plural('en', count, { one: '# account', other: '# accounts' } satisfies PluralForms);

export const nextStepsEn = {
  /** The last line of a restart warning: what the buttons under it do. */
  warningChoice: (healthy: number) =>
    healthy > 0
      ? `Fix them first, restart only the healthy ones (${accountsN(healthy)}), or restart anyway.`
      : 'None of the accounts can be warmed up now: fix them first, or restart anyway.',
  /** A warning line for an account a person has put on hold. */
  quarantined: 'on hold until someone resumes it',
  restartedHealthy: (id: number, count: number) => `Task #${id} restarted for ${accountsN(count)}.`,
  noneHealthy: (id: number) =>
    `Task #${id} was not restarted: none of its accounts can be warmed up now. See /task ${id}.`,
  /** The button that asks for a /check of one account. */
  check: (account: string) => `🔎 Check ${account}`,
};
