// Russian texts of the inbox's age limit (an update that waited too long is not run) and of a
// proxy refused for want of an encryption key.
import type { inboxEn } from './inbox.en.ts';

export const inboxRu: typeof inboxEn = {
  outdated: {
    command: (command: string, age: string, limit: string) =>
      `Команда ${command} не выполнена: она дошла до меня через ${age} после отправки (я был недоступен), а команды старше ${limit} я не выполняю. Отправьте её ещё раз, если она ещё нужна.`,
    message: (age: string, limit: string) =>
      `Сообщение не обработано: оно дошло до меня через ${age} после отправки (я был недоступен), а сообщения старше ${limit} я не обрабатываю. Отправьте его ещё раз, если это ещё нужно.`,
    tap: 'Нажатие дошло до меня слишком поздно (я был недоступен), поэтому ничего не сделано. Нажмите кнопку ещё раз.',
  },
  noKeyForProxy:
    'Ничего не сохранено: прокси с логином или паролем хранится только зашифрованным, а на сервере не задан SESSION_ENCRYPTION_KEY. Задайте его или укажите прокси без логина и пароля.',
};
