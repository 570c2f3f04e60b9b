// Русские тексты следующих шагов на кнопках: та же форма, что у next-steps.en.ts.

import { plural } from './intl.ts';
import type { nextStepsEn } from './next-steps.en.ts';

/** 1 аккаунт, 2 аккаунта, 5 аккаунтов, 21 аккаунт. */
const accountsN = (count: number) =>
  plural('ru', count, { one: '# аккаунт', few: '# аккаунта', many: '# аккаунтов', other: '# аккаунта' });
/** Для 1 аккаунта, для 2 аккаунтов, для 5 аккаунтов, для 21 аккаунта. */
const accountsOf = (count: number) =>
  plural('ru', count, { one: '# аккаунта', few: '# аккаунтов', many: '# аккаунтов', other: '# аккаунта' });

export const nextStepsRu: typeof nextStepsEn = {
  warningChoice: (healthy: number) =>
    healthy > 0
      ? `Сначала исправьте их, перезапустите только исправные (${accountsN(healthy)}) или перезапустите всё равно.`
      : 'Сейчас не прогреть ни один из аккаунтов: сначала исправьте их или перезапустите всё равно.',
  quarantined: 'на паузе, пока его не возобновят',
  restartedHealthy: (id: number, count: number) => `Задача #${id} перезапущена для ${accountsOf(count)}.`,
  noneHealthy: (id: number) =>
    `Задача #${id} не перезапущена: сейчас не прогреть ни один из её аккаунтов. Подробности: /task ${id}.`,
  check: (account: string) => `🔎 Проверить ${account}`,
};
