// Русские тексты: та же форма, что у en.ts.
import type { Texts } from './en.ts';

export const ru: Texts = {
  refusal: (id: number) =>
    `Это закрытый бот. Ваш Telegram id: ${id}; попросите администратора выдать доступ.`,
  forbidden: (role: string) => `Ваша роль (${role}) этого не позволяет.`,
  unavailable: 'База данных сейчас недоступна. Попробуйте ещё раз через минуту.',
  internalError: 'У нас что-то пошло не так. Попробуйте ещё раз через минуту.',
  unknownCommand: 'Такой команды нет. Список команд: /help.',
  staleButton: 'Эта кнопка недействительна (или устарела). Отправьте /list, чтобы начать заново.',

  help: {
    intro: 'Я запускаю прогрев TikTok-аккаунтов в браузере и сообщаю о результатах здесь.',
    viewer: [
      '/list [статус] [страница] — задачи, новые сначала',
      '/task &lt;id&gt; — подробности задачи',
      '/accounts — аккаунты и их состояние',
    ],
    operator: [
      '/new — создать задачу (пошагово), или /new accounts=a,b preset=light likes=2-5 …',
      '/restart &lt;id&gt; [failed] — перезапустить завершённую задачу (все аккаунты или только упавшие)',
      '/cancel &lt;id&gt; — остановить задачу в очереди или в работе',
    ],
    admin: [
      '/account_add &lt;username&gt; [proxy_url] — добавить аккаунт',
      'JSON-файл с подписью /session &lt;username&gt; — привязать сессию входа',
      '/grant &lt;user_id&gt; viewer|operator|admin, /revoke &lt;user_id&gt; — доступ',
    ],
    role: (role: string) => `Ваша роль: ${role}.`,
  },

  usage: {
    restart: 'Формат: /restart &lt;id задачи&gt; [failed] — например, /restart 42 или /restart 42 failed',
    cancel: 'Формат: /cancel &lt;id задачи&gt; — например, /cancel 42',
    task: 'Формат: /task &lt;id задачи&gt; — например, /task 42',
    list: 'Формат: /list [pending|running|completed|failed|cancelled] [страница] — например, /list failed 2',
  },
  badId: (text: string) => `«${text}» — не id задачи. Id — целое число, например /task 42.`,
  badScope: (text: string) =>
    `«${text}» — неизвестный режим: /restart &lt;id&gt; или /restart &lt;id&gt; failed.`,
  notFound: (id: number) => `Задачи #${id} нет. Список задач: /list.`,

  restarted: (id: number) => `Задача #${id} перезапущена.`,
  restartBusy: (id: number, why: string) => `Задача #${id} не перезапущена: ${why}.`,
  restartNothingFailed: (id: number) =>
    `В задаче #${id} нет упавших аккаунтов. Чтобы запустить все заново: /restart ${id}.`,
  cancelled: (id: number) => `Задача #${id} отменена.`,
  cancelRefused: (id: number, why: string) => `Задача #${id} не отменена: ${why}.`,

  why: {
    pending: 'она уже в очереди',
    running: 'она ещё выполняется',
    completed: 'она уже завершена',
    failed: 'она уже завершилась (с ошибками)',
    cancelled: 'она уже отменена',
  },
  status: {
    pending: 'в очереди',
    running: 'выполняется',
    completed: 'завершена',
    failed: 'с ошибками',
    cancelled: 'отменена',
  },
  buttons: {
    restart: '🔁 Перезапуск',
    restartFailed: '🔁 Только упавшие',
    cancel: '⛔ Отменить',
    details: 'ℹ️ Подробнее',
    refresh: '🔄 Обновить',
    prev: '◀',
    next: '▶',
    all: 'все',
  },

  task: {
    accounts: (ok: number, failed: number, total: number) =>
      `Аккаунты: успешно ${ok} · с ошибкой ${failed} · всего ${total}`,
    failedOf: (failed: number, total: number) => `с ошибкой ${failed} из ${total} аккаунтов`,
    duration: (d: string) => `Длительность: ${d}`,
    started: (d: string) => `Выполняется ${d}`,
    restartedBy: (who: string) => `Перезапустил(а) ${who}`,
    cancelledBy: (who: string) => `Отменил(а) ${who}`,
    createdBy: (who: string) => `Создал(а) ${who}`,
    run: (n: number) => `запуск ${n}`,
    created: 'Создана',
    startedAt: 'Начата',
    completedAt: 'Завершена',
    runs: 'Аккаунты',
    log: 'Последние строки журнала',
    history: 'История',
    none: '—',
    capped: 'остановлено по лимиту времени',
  },
  events: {
    started: 'запущена',
    progress: 'выполняется',
    completed: 'завершена',
    failed: 'с ошибками',
    cancelled: 'отменена',
    restarted: 'перезапущена',
  },
  digest: {
    finished: (n: number) => `Завершено задач: ${n}.`,
    started: (n: number) => `Запущено задач: ${n}.`,
    more: (n: number) => `…и ещё ${n}. Все задачи: /list.`,
  },
  list: {
    empty: 'Задач пока нет. Создайте: /new.',
    emptyFiltered: (status: string) => `Задач со статусом «${status}» нет.`,
    header: (page: number, pages: number, total: number) =>
      `Задачи — страница ${page} из ${pages} (всего ${total})`,
  },
};
